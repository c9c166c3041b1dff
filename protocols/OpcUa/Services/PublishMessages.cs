using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>
/// Publish and Republish (Part 4 §5.13.5-6). The notification data (DataChangeNotification, EventNotificationList,
/// StatusChangeNotification) arrives decoded in each ExtensionObject's Structure; a keep-alive has none.
/// </summary>
internal static class PublishMessages
{
    public static readonly RequestMessage<SubscriptionAcknowledgement[]> PublishRequestCodec = new(
        ServiceIds.PublishRequest,
        "Publish",
        static (w, r) => ArrayCodec.Write(w, r, SubscriptionStructureCodec.WriteAcknowledgement),
        static (ref UaReader r) => ArrayCodec.Read(ref r, SubscriptionStructureCodec.ReadAcknowledgement, 8));

    public static readonly ResponseMessage<PublishResponse> PublishResponseCodec = new(
        ServiceIds.PublishResponse,
        "Publish",
        static (w, r) =>
        {
            w.WriteUInt32(r.SubscriptionId);
            ArrayCodec.WriteUInt32s(w, r.AvailableSequenceNumbers);
            w.WriteBoolean(r.MoreNotifications);
            SubscriptionStructureCodec.WriteNotificationMessage(w, r.NotificationMessage);
            ArrayCodec.WriteUInt32s(w, r.AcknowledgementResults);
            DiagnosticInfoCodec.WriteArray(w, r.DiagnosticInfos);
        },
        static (ref UaReader r) => new PublishResponse(
            r.ReadUInt32(),
            ArrayCodec.ReadUInt32s(ref r),
            r.ReadBoolean(),
            SubscriptionStructureCodec.ReadNotificationMessage(ref r),
            ArrayCodec.ReadUInt32s(ref r),
            DiagnosticInfoCodec.ReadArray(ref r)));

    public static readonly RequestMessage<RepublishRequest> RepublishRequestCodec = new(
        ServiceIds.RepublishRequest,
        "Republish",
        static (w, r) =>
        {
            w.WriteUInt32(r.SubscriptionId);
            w.WriteUInt32(r.RetransmitSequenceNumber);
        },
        static (ref UaReader r) => new RepublishRequest(r.ReadUInt32(), r.ReadUInt32()));

    public static readonly ResponseMessage<NotificationMessage> RepublishResponseCodec = new(
        ServiceIds.RepublishResponse, "Republish", SubscriptionStructureCodec.WriteNotificationMessage, SubscriptionStructureCodec.ReadNotificationMessage);

    /// <summary>
    /// One Publish answer: which subscription, the sequence numbers the server still holds for Republish, whether
    /// more is queued, the message, and one status per acknowledgement sent with the request.
    /// </summary>
    public sealed record PublishResponse(
        uint SubscriptionId,
        uint[] AvailableSequenceNumbers,
        bool MoreNotifications,
        NotificationMessage NotificationMessage,
        uint[] AcknowledgementResults,
        DiagnosticInfo[] DiagnosticInfos);

    public sealed record RepublishRequest(uint SubscriptionId, uint RetransmitSequenceNumber);
}
