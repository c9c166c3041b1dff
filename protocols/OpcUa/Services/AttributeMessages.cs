using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>Read and Write of the Value attribute (Part 4 §5.10.2, §5.10.4).</summary>
internal static class AttributeMessages
{
    private const uint TimestampsBoth = 2;

    /// <summary>Reads <see cref="Count"/> nodes from <see cref="Offset"/>; <see cref="Attributes"/> (parallel to the nodes) picks other attributes than Value.</summary>
    public readonly record struct ReadRequest(
        NodeId Token, IReadOnlyList<NodeId> Nodes, int Offset, int Count, TimeSpan Timeout, IReadOnlyList<uint>? Attributes = null);

    public readonly record struct WriteRequest(
        NodeId Token, IReadOnlyList<NodeId> Nodes, IReadOnlyList<DataValue> Values, IReadOnlyList<string?>? IndexRanges, TimeSpan Timeout, int Offset = 0, int Count = -1)
    {
        public int Length => Count < 0 ? Nodes.Count - Offset : Count;
    }

    public static void WriteRead(UaWriter writer, uint handle, ReadRequest request)
    {
        RequestHeader.Write(writer, ServiceIds.ReadRequest, request.Token, handle, request.Timeout);
        writer.WriteDouble(0);
        writer.WriteUInt32(TimestampsBoth);
        writer.WriteInt32(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            NodeIdCodec.Write(writer, request.Nodes[request.Offset + i]);
            writer.WriteUInt32(request.Attributes?[request.Offset + i] ?? ServiceIds.ValueAttribute);
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
        writer.WriteInt32(request.Length);
        for (var n = 0; n < request.Length; n++)
        {
            var i = request.Offset + n;
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
