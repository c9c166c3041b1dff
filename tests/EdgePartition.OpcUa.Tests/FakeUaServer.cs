using System.Buffers.Binary;
using System.Net.Sockets;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// A minimal OPC UA server on a <see cref="ScriptedServer"/>: answers HEL, OPN, CreateSession and ActivateSession
/// correctly, then hands every other request to <c>onRequest</c>, which writes whatever bytes the test wants
/// (a ServiceFault, an abort chunk, garbage, nothing). Lets tests reach failure paths node-opcua never takes.
/// </summary>
internal static class FakeUaServer
{
    public const uint ChannelId = 7;
    public const uint TokenId = 1;

    public delegate Task RequestHandler(NetworkStream stream, uint requestTypeId, uint requestId, CancellationToken cancellationToken);

    public static ScriptedServer Start(RequestHandler onRequest) => new(async (stream, ct) =>
    {
        await ScriptedServer.ReadMessageAsync(stream, ct);
        await stream.WriteAsync(ScriptedServer.Acknowledge(), ct);
        var sessionFactsPending = false;
        while (!ct.IsCancellationRequested)
        {
            var message = await ScriptedServer.ReadMessageAsync(stream, ct);
            var type = System.Text.Encoding.ASCII.GetString(message, 0, 3);
            if (type == "CLO")
            {
                return;
            }

            var (typeId, requestId) = Parse(message, isOpen: type == "OPN");
            switch (typeId)
            {
                case ServiceIds.OpenSecureChannelRequest:
                    await stream.WriteAsync(OpenResponse(requestId), ct);
                    break;
                case ServiceIds.CreateSessionRequest:
                    await stream.WriteAsync(Message(requestId, CreateSessionBody), ct);
                    break;
                case ServiceIds.ActivateSessionRequest:
                    await stream.WriteAsync(Message(requestId, w => { Header(w, ServiceIds.ActivateSessionResponse); w.WriteInt32(-1); w.WriteInt32(-1); w.WriteInt32(-1); }), ct);
                    sessionFactsPending = true;
                    break;
                case ServiceIds.ReadRequest when sessionFactsPending:
                    // The client's first Read on a session asks for the namespace array and operation limits: none known here.
                    sessionFactsPending = false;
                    await stream.WriteAsync(Message(requestId, w => UnknownNodesResponse(w, ReadNodeCount(message))), ct);
                    break;
                case ServiceIds.CloseSessionRequest:
                    await stream.WriteAsync(Message(requestId, w => Header(w, ServiceIds.CloseSessionResponse)), ct);
                    break;
                default:
                    await onRequest(stream, typeId, requestId, ct);
                    break;
            }
        }
    });

    /// <summary>A final MSG chunk with the given body.</summary>
    public static byte[] Message(uint requestId, Action<UaWriter> body, char kind = 'F', uint channelId = ChannelId)
    {
        var writer = new UaWriter();
        writer.WriteBytes("MSG"u8);
        writer.WriteByte((byte)kind);
        var size = writer.Reserve(4);
        writer.WriteUInt32(channelId);
        writer.WriteUInt32(TokenId);
        writer.WriteUInt32(requestId + 100);
        writer.WriteUInt32(requestId);
        body(writer);
        writer.PatchUInt32(size, (uint)writer.Position);
        return writer.Written.ToArray();
    }

    /// <summary>A response's type id and ResponseHeader with <paramref name="serviceResult"/>.</summary>
    public static void Header(UaWriter writer, uint responseTypeId, uint serviceResult = StatusCodes.Good)
    {
        NodeIdCodec.Write(writer, new NodeId(0, responseTypeId));
        writer.WriteDateTime(DateTime.UtcNow);
        writer.WriteUInt32(0);
        writer.WriteUInt32(serviceResult);
        writer.WriteByte(0);
        writer.WriteInt32(-1);
        writer.WriteBytes([0, 0, 0]);
    }

    /// <summary>A Read response with one Int32 value per node.</summary>
    public static void ReadResponse(UaWriter writer, params int[] values)
    {
        Header(writer, ServiceIds.ReadResponse);
        writer.WriteInt32(values.Length);
        foreach (var value in values)
        {
            VariantCodec.WriteDataValue(writer, DataValue.Of(Variant.FromInt32(value)));
        }

        writer.WriteInt32(-1);
    }

    /// <summary>A Read response with BadNodeIdUnknown for each of <paramref name="count"/> nodes.</summary>
    private static void UnknownNodesResponse(UaWriter writer, int count)
    {
        Header(writer, ServiceIds.ReadResponse);
        writer.WriteInt32(count);
        for (var i = 0; i < count; i++)
        {
            VariantCodec.WriteDataValue(writer, new DataValue(default, StatusCodes.BadNodeIdUnknown, DateTime.MinValue, DateTime.MinValue));
        }

        writer.WriteInt32(-1);
    }

    private static int ReadNodeCount(byte[] message)
    {
        var reader = new UaReader(message.AsSpan(24));
        RequestHeader.Read(ref reader, ServiceIds.ReadRequest, "Read");
        reader.ReadDouble();
        reader.ReadUInt32();
        return reader.ReadLength();
    }

    private static (uint TypeId, uint RequestId) Parse(byte[] message, bool isOpen)
    {
        var reader = new UaReader(message.AsSpan(8));
        reader.ReadUInt32();
        if (isOpen)
        {
            reader.SkipByteString();
            reader.SkipByteString();
            reader.SkipByteString();
        }
        else
        {
            reader.ReadUInt32();
        }

        reader.ReadUInt32();
        var requestId = reader.ReadUInt32();
        var typeId = NodeIdCodec.Read(ref reader);
        return (typeId.Numeric, requestId);
    }

    private static byte[] OpenResponse(uint requestId)
    {
        var writer = new UaWriter();
        writer.WriteBytes("OPNF"u8);
        var size = writer.Reserve(4);
        writer.WriteUInt32(ChannelId);
        writer.WriteString(SecureChannelMessages.NonePolicyUri);
        writer.WriteInt32(-1);
        writer.WriteInt32(-1);
        writer.WriteUInt32(1);
        writer.WriteUInt32(requestId);
        Header(writer, ServiceIds.OpenSecureChannelResponse);
        writer.WriteUInt32(0);
        writer.WriteUInt32(ChannelId);
        writer.WriteUInt32(TokenId);
        writer.WriteDateTime(DateTime.UtcNow);
        writer.WriteUInt32(600000);
        writer.WriteInt32(-1);
        BinaryPrimitives.WriteUInt32LittleEndian(writer.At(size, 4), (uint)writer.Position);
        return writer.Written.ToArray();
    }

    private static void CreateSessionBody(UaWriter writer)
    {
        Header(writer, ServiceIds.CreateSessionResponse);
        NodeIdCodec.Write(writer, new NodeId(1, 1000u));
        NodeIdCodec.Write(writer, new NodeId(1, "token"));
        writer.WriteDouble(60000);
        writer.WriteInt32(-1);
        writer.WriteInt32(-1);
        writer.WriteInt32(1);
        writer.WriteString("opc.tcp://fake.example:4840");
        writer.WriteString("urn:fake");
        writer.WriteString(null);
        writer.WriteByte(0);
        writer.WriteUInt32(0);
        writer.WriteString(null);
        writer.WriteString(null);
        writer.WriteInt32(-1);
        writer.WriteInt32(-1);
        writer.WriteUInt32(1);
        writer.WriteString(SecureChannelMessages.NonePolicyUri);
        writer.WriteInt32(1);
        writer.WriteString("anon");
        writer.WriteUInt32(0);
        writer.WriteString(null);
        writer.WriteString(null);
        writer.WriteString(null);
        writer.WriteString(null);
        writer.WriteByte(0);
        writer.WriteInt32(-1);
        writer.WriteString(null);
        writer.WriteInt32(-1);
        writer.WriteUInt32(0);
    }
}
