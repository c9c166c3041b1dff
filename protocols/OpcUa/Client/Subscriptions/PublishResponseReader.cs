using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>The fields of a PublishResponse before its notification data (Part 4 §5.13.5.2).</summary>
internal readonly record struct PublishHeader(uint SubscriptionId, int AvailableCount, bool MoreNotifications);

/// <summary>A NotificationMessage's header (Part 4 §7.24): its notification data follows, <see cref="Count"/> ExtensionObjects.</summary>
internal readonly record struct MessageHeader(uint SequenceNumber, DateTime PublishTime, int Count)
{
    public bool IsKeepAlive => Count <= 0;
}

/// <summary>
/// Decodes Publish and Republish responses in place, straight into a subscription's handler: no message objects,
/// no per-value allocation for numeric values (each DataValue is a struct read from the response bytes), the
/// ExtensionObject type ids read without building NodeIds. Every count is checked against the bytes left before
/// anything is read for it; bad bytes throw <see cref="OpcUaProtocolException"/> (MalformedFrame), a ServiceFault
/// throws it with reason PeerRejected and the server's status code.
/// </summary>
internal static class PublishResponseReader
{
    /// <summary>The smallest MonitoredItemNotification: a client handle and an empty DataValue mask.</summary>
    private const int MinItemSize = 5;

    /// <summary>The smallest ExtensionObject: a two-byte NodeId and the encoding byte.</summary>
    private const int MinExtensionObjectSize = 3;

    /// <summary>
    /// Reads the response header (a fault throws), the subscription id, the available sequence numbers (the first
    /// <paramref name="available"/>.Length of them are kept) and the more-notifications flag.
    /// </summary>
    public static PublishHeader ReadPublishHeader(ref UaReader reader, Span<uint> available)
    {
        ResponseHeader.Read(ref reader, ServiceIds.PublishResponse, "Publish");
        var subscriptionId = reader.ReadUInt32();
        var count = reader.ReadCount(sizeof(uint));
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var sequence = reader.ReadUInt32();
            if (kept < available.Length)
            {
                available[kept++] = sequence;
            }
        }

        return new PublishHeader(subscriptionId, kept, reader.ReadBoolean());
    }

    /// <summary>Reads a Republish response's header (a fault throws); the NotificationMessage follows.</summary>
    public static void ReadRepublishHeader(ref UaReader reader) => ResponseHeader.Read(ref reader, ServiceIds.RepublishResponse, "Republish");

    public static MessageHeader ReadMessageHeader(ref UaReader reader) =>
        new(reader.ReadUInt32(), reader.ReadDateTime(), reader.ReadCount(MinExtensionObjectSize));

    /// <summary>Hands every notification of the message to <paramref name="target"/>; events and unknown kinds are skipped.</summary>
    public static void ReadNotificationData(ref UaReader reader, int count, INotificationTarget target)
    {
        for (var n = 0; n < count; n++)
        {
            var encodingId = ReadEncodingId(ref reader);
            var encoding = reader.ReadByte();
            if (encoding != ExtensionObject.BinaryBody)
            {
                if (encoding == ExtensionObject.XmlBody)
                {
                    reader.SkipByteString();
                }
                else if (encoding != ExtensionObject.NoBody)
                {
                    throw OpcUaProtocolException.Malformed($"unknown ExtensionObject encoding 0x{encoding:X2} in notification data");
                }

                continue;
            }

            var body = reader.Nested(reader.ReadByteStringSpan(out _));
            switch (encodingId)
            {
                case DataChangeNotification.BinaryEncodingId:
                    ReadDataChanges(ref body, target);
                    break;
                case StatusChangeNotification.BinaryEncodingId:
                    var status = body.ReadUInt32();
                    StructureCodec.SkipDiagnosticInfo(ref body);
                    target.OnStatus(status);
                    break;
            }
        }
    }

    private static void ReadDataChanges(ref UaReader body, INotificationTarget target)
    {
        var items = body.ReadCount(MinItemSize);
        for (var i = 0; i < items; i++)
        {
            var handle = body.ReadUInt32();
            var value = VariantCodec.ReadDataValue(ref body);
            target.OnValue(handle, in value);
        }

        StructureCodec.SkipDiagnosticInfos(ref body);
    }

    /// <summary>
    /// The numeric id of an ExtensionObject's type in namespace 0, read without allocating; 0 for any other NodeId
    /// (which is skipped).
    /// </summary>
    private static uint ReadEncodingId(ref UaReader reader)
    {
        var form = reader.ReadByte();
        switch (form)
        {
            case 0x00:
                return reader.ReadByte();
            case 0x01:
                return reader.ReadByte() == 0 ? reader.ReadUInt16() : SkipReturningZero(reader.ReadUInt16());
            case 0x02:
                return reader.ReadUInt16() == 0 ? reader.ReadUInt32() : SkipReturningZero(reader.ReadUInt32());
            case 0x03 or 0x05:
                reader.ReadUInt16();
                reader.SkipByteString();
                return 0;
            case 0x04:
                reader.ReadUInt16();
                reader.ReadBytes(16);
                return 0;
            default:
                throw OpcUaProtocolException.Malformed($"NodeId encoding byte 0x{form:X2} is not a NodeId");
        }
    }

    private static uint SkipReturningZero(uint ignored) => ignored * 0;
}

/// <summary>Where decoded notifications go (a subscription forwarding to its handler).</summary>
internal interface INotificationTarget
{
    void OnValue(uint clientHandle, in DataValue value);

    void OnStatus(uint status);
}
