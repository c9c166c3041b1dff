using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>Writes a service request's type id and RequestHeader (Part 4 §7.28).</summary>
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
}
