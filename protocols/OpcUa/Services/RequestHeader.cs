using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>What a decoded RequestHeader carries that a server (or a test peer) acts on.</summary>
internal readonly record struct RequestHeaderFields(NodeId AuthenticationToken, uint RequestHandle, uint TimeoutHintMs);

/// <summary>Writes and reads a service request's type id and RequestHeader (Part 4 §7.28).</summary>
internal static class RequestHeader
{
    public static void Write(UaWriter writer, uint requestTypeId, NodeId authenticationToken, uint requestHandle, TimeSpan timeout)
    {
        NodeIdCodec.Write(writer, new NodeId(0, requestTypeId));
        NodeIdCodec.Write(writer, authenticationToken);
        writer.WriteDateTime(DateTime.UtcNow);
        writer.WriteUInt32(requestHandle);
        writer.WriteUInt32(0);
        writer.WriteString(null);
        writer.WriteUInt32((uint)Math.Clamp(timeout.TotalMilliseconds, 0, uint.MaxValue));

        // AdditionalHeader: a null ExtensionObject (TypeId i=0, no body).
        writer.WriteByte(0);
        writer.WriteByte(0);
        writer.WriteByte(0);
    }

    /// <summary>Reads a request's type id and header; the type id must be <paramref name="requestTypeId"/>.</summary>
    public static RequestHeaderFields Read(ref UaReader reader, uint requestTypeId, string service)
    {
        var typeId = NodeIdCodec.Read(ref reader);
        if (typeId.NamespaceIndex != 0 || typeId.Type != NodeIdType.Numeric || typeId.Numeric != requestTypeId)
        {
            throw OpcUaProtocolException.Malformed($"{service}: expected request type i={requestTypeId}, got {typeId}");
        }

        var token = NodeIdCodec.Read(ref reader);
        reader.ReadDateTime();
        var handle = reader.ReadUInt32();
        reader.ReadUInt32();
        reader.SkipByteString();
        var timeoutHint = reader.ReadUInt32();
        StructureCodec.ReadExtensionObject(ref reader);
        return new RequestHeaderFields(token, handle, timeoutHint);
    }
}
