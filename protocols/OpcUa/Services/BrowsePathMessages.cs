using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>TranslateBrowsePathsToNodeIds from the Objects folder along hierarchical references (Part 4 §5.8.4).</summary>
internal static class BrowsePathMessages
{
    public readonly record struct TranslateRequest(NodeId Token, IReadOnlyList<IReadOnlyList<QualifiedName>> Paths, TimeSpan Timeout);

    public static void WriteTranslate(UaWriter writer, uint handle, TranslateRequest request)
    {
        RequestHeader.Write(writer, ServiceIds.TranslateBrowsePathsRequest, request.Token, handle, request.Timeout);
        writer.WriteInt32(request.Paths.Count);
        var objects = new NodeId(0, ServiceIds.ObjectsFolder);
        var hierarchical = new NodeId(0, ServiceIds.HierarchicalReferences);
        foreach (var path in request.Paths)
        {
            NodeIdCodec.Write(writer, objects);
            writer.WriteInt32(path.Count);
            foreach (var step in path)
            {
                NodeIdCodec.Write(writer, hierarchical);
                writer.WriteBoolean(false);
                writer.WriteBoolean(true);
                StructureCodec.WriteQualifiedName(writer, step);
            }
        }
    }

    /// <summary>One status and (when good) the first local target per path.</summary>
    public static void ReadTranslate(ReadOnlySpan<byte> body, Span<(uint Status, NodeId? Target)> results)
    {
        var reader = new UaReader(body);
        ResponseHeader.Read(ref reader, ServiceIds.TranslateBrowsePathsResponse, "TranslateBrowsePathsToNodeIds");
        var count = reader.ReadLength();
        if (count != results.Length)
        {
            throw OpcUaProtocolException.Malformed($"TranslateBrowsePathsToNodeIds returned {count} results for {results.Length} paths");
        }

        for (var i = 0; i < count; i++)
        {
            var status = reader.ReadUInt32();
            NodeId? target = null;
            var targets = reader.ReadLength();
            for (var t = 0; t < targets; t++)
            {
                var id = NodeIdCodec.ReadExpanded(ref reader);
                var remaining = reader.ReadUInt32();
                if (target is null && id.ServerIndex == 0 && id.NamespaceUri is null && remaining == uint.MaxValue)
                {
                    target = id.NodeId;
                }
            }

            results[i] = (StatusCodes.IsBad(status) || target is not null ? status : StatusCodes.BadNodeIdUnknown, target);
        }

        StructureCodec.SkipDiagnosticInfos(ref reader);
    }
}
