using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>
/// Opens a service response: checks its type id, accepts a ServiceFault in place of any response (Part 4 §7.30)
/// and turns a bad ServiceResult into <see cref="OpcUaProtocolException"/> with reason PeerRejected.
/// </summary>
internal static class ResponseHeader
{
    /// <summary>
    /// Writes a response's type id and header (what a server sends; used by test peers). A ServiceFault is this
    /// header alone with type id i=397 and a bad <paramref name="serviceResult"/>.
    /// </summary>
    public static void Write(UaWriter writer, uint responseTypeId, uint requestHandle, uint serviceResult, DateTime timestamp)
    {
        NodeIdCodec.Write(writer, new NodeId(0, responseTypeId));
        writer.WriteDateTime(timestamp);
        writer.WriteUInt32(requestHandle);
        writer.WriteUInt32(serviceResult);
        DiagnosticInfoCodec.Write(writer, null);
        writer.WriteInt32(0);
        StructureCodec.WriteExtensionObject(writer, ExtensionObject.Null);
    }

    public static void Read(ref UaReader reader, uint expectedTypeId, string service)
    {
        var typeId = NodeIdCodec.Read(ref reader);
        if (typeId.NamespaceIndex != 0 || typeId.Type != NodeIdType.Numeric
            || (typeId.Numeric != expectedTypeId && typeId.Numeric != ServiceIds.ServiceFault))
        {
            throw OpcUaProtocolException.Malformed($"{service}: expected response type i={expectedTypeId}, got {typeId}");
        }

        reader.ReadDateTime();
        reader.ReadUInt32();
        var serviceResult = reader.ReadUInt32();
        StructureCodec.SkipDiagnosticInfo(ref reader);
        var strings = reader.ReadLength();
        for (var i = 0; i < strings; i++)
        {
            reader.SkipByteString();
        }

        StructureCodec.ReadExtensionObject(ref reader);
        if (typeId.Numeric == ServiceIds.ServiceFault || StatusCodes.IsBad(serviceResult))
        {
            var code = StatusCodes.IsBad(serviceResult) ? serviceResult : StatusCodes.BadUnexpectedError;
            throw new OpcUaProtocolException(
                ProtocolErrorReason.PeerRejected, $"{service} failed: {StatusCodes.Describe(code)}", code);
        }
    }
}
