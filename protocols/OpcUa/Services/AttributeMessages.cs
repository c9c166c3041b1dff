using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>Read and Write of the Value attribute (Part 4 §5.10.2, §5.10.4).</summary>
internal static class AttributeMessages
{
    private const uint TimestampsBoth = 2;

    public readonly record struct ReadRequest(NodeId Token, IReadOnlyList<NodeId> Nodes, int Offset, int Count, TimeSpan Timeout);

    public readonly record struct WriteRequest(
        NodeId Token, IReadOnlyList<NodeId> Nodes, IReadOnlyList<DataValue> Values, IReadOnlyList<string?>? IndexRanges, TimeSpan Timeout);

    public static void WriteRead(UaWriter writer, uint handle, ReadRequest request)
    {
        RequestHeader.Write(writer, ServiceIds.ReadRequest, request.Token, handle, request.Timeout);
        writer.WriteDouble(0);
        writer.WriteUInt32(TimestampsBoth);
        writer.WriteInt32(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            NodeIdCodec.Write(writer, request.Nodes[request.Offset + i]);
            writer.WriteUInt32(ServiceIds.ValueAttribute);
            writer.WriteString(null);
            writer.WriteUInt16(0);
            writer.WriteString(null);
        }
    }

    /// <summary>Decodes the results into <paramref name="results"/>; their count must match the request.</summary>
    public static void ReadRead(ReadOnlySpan<byte> body, Span<DataValue> results)
    {
        var reader = new UaReader(body);
        ResponseHeader.Read(ref reader, ServiceIds.ReadResponse, "Read");
        var count = reader.ReadLength();
        if (count != results.Length)
        {
            throw OpcUaProtocolException.Malformed($"Read returned {count} results for {results.Length} nodes");
        }

        for (var i = 0; i < count; i++)
        {
            results[i] = VariantCodec.ReadDataValue(ref reader);
        }

        StructureCodec.SkipDiagnosticInfos(ref reader);
    }

    public static void WriteWrite(UaWriter writer, uint handle, WriteRequest request)
    {
        RequestHeader.Write(writer, ServiceIds.WriteRequest, request.Token, handle, request.Timeout);
        writer.WriteInt32(request.Nodes.Count);
        for (var i = 0; i < request.Nodes.Count; i++)
        {
            NodeIdCodec.Write(writer, request.Nodes[i]);
            writer.WriteUInt32(ServiceIds.ValueAttribute);
            writer.WriteString(request.IndexRanges?[i]);
            VariantCodec.WriteDataValue(writer, request.Values[i]);
        }
    }

    public static void ReadWrite(ReadOnlySpan<byte> body, Span<uint> results)
    {
        var reader = new UaReader(body);
        ResponseHeader.Read(ref reader, ServiceIds.WriteResponse, "Write");
        var count = reader.ReadLength();
        if (count != results.Length)
        {
            throw OpcUaProtocolException.Malformed($"Write returned {count} results for {results.Length} nodes");
        }

        for (var i = 0; i < count; i++)
        {
            results[i] = reader.ReadUInt32();
        }

        StructureCodec.SkipDiagnosticInfos(ref reader);
    }
}
