using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>Browse, BrowseNext, RegisterNodes and UnregisterNodes (Part 4 §5.8.2, §5.8.3, §5.8.5, §5.8.6).</summary>
internal static class ViewMessages
{
    public static readonly RequestMessage<BrowseRequest> BrowseRequestCodec = new(
        ServiceIds.BrowseRequest,
        "Browse",
        static (w, r) =>
        {
            BrowseStructureCodec.WriteView(w, r.View);
            w.WriteUInt32(r.RequestedMaxReferencesPerNode);
            ArrayCodec.Write(w, r.NodesToBrowse, BrowseStructureCodec.WriteDescription);
        },
        static (ref UaReader r) => new BrowseRequest(
            BrowseStructureCodec.ReadView(ref r), r.ReadUInt32(), ArrayCodec.Read(ref r, BrowseStructureCodec.ReadDescription, 16)));

    public static readonly ResponseMessage<BrowseResponse> BrowseResponseCodec = new(
        ServiceIds.BrowseResponse, "Browse", BrowseResponse.Write, BrowseResponse.Read);

    /// <summary>BrowseNext: continue from continuation points, or release them (releaseContinuationPoints = true) when abandoning a browse.</summary>
    public static readonly RequestMessage<BrowseNextRequest> BrowseNextRequestCodec = new(
        ServiceIds.BrowseNextRequest,
        "BrowseNext",
        static (w, r) =>
        {
            w.WriteBoolean(r.ReleaseContinuationPoints);
            ArrayCodec.WriteByteStrings(w, r.ContinuationPoints);
        },
        static (ref UaReader r) => new BrowseNextRequest(r.ReadBoolean(), ArrayCodec.ReadByteStrings(ref r)));

    public static readonly ResponseMessage<BrowseResponse> BrowseNextResponseCodec = new(
        ServiceIds.BrowseNextResponse, "BrowseNext", BrowseResponse.Write, BrowseResponse.Read);

    public static readonly RequestMessage<NodeId[]> RegisterNodesRequestCodec = new(
        ServiceIds.RegisterNodesRequest, "RegisterNodes", WriteNodeIds, ReadNodeIds);

    public static readonly ResponseMessage<NodeId[]> RegisterNodesResponseCodec = new(
        ServiceIds.RegisterNodesResponse, "RegisterNodes", WriteNodeIds, ReadNodeIds);

    public static readonly RequestMessage<NodeId[]> UnregisterNodesRequestCodec = new(
        ServiceIds.UnregisterNodesRequest, "UnregisterNodes", WriteNodeIds, ReadNodeIds);

    public static readonly ResponseMessage<NoFields> UnregisterNodesResponseCodec = new(
        ServiceIds.UnregisterNodesResponse, "UnregisterNodes", NoFields.Write, NoFields.Read);

    private static void WriteNodeIds(UaWriter writer, NodeId[] nodes) => ArrayCodec.Write(writer, nodes, NodeIdCodec.Write);

    private static NodeId[] ReadNodeIds(ref UaReader reader) => ArrayCodec.Read(ref reader, NodeIdCodec.Read, 2);

    public sealed record BrowseRequest(ViewDescription View, uint RequestedMaxReferencesPerNode, BrowseDescription[] NodesToBrowse);

    public sealed record BrowseNextRequest(bool ReleaseContinuationPoints, byte[]?[] ContinuationPoints);

    /// <summary>The results of Browse and of BrowseNext (same fields).</summary>
    public sealed record BrowseResponse(BrowseResult[] Results, DiagnosticInfo[] DiagnosticInfos)
    {
        public static void Write(UaWriter writer, BrowseResponse value)
        {
            ArrayCodec.Write(writer, value.Results, BrowseStructureCodec.WriteResult);
            DiagnosticInfoCodec.WriteArray(writer, value.DiagnosticInfos);
        }

        public static BrowseResponse Read(ref UaReader reader) =>
            new(ArrayCodec.Read(ref reader, BrowseStructureCodec.ReadResult, 12), DiagnosticInfoCodec.ReadArray(ref reader));
    }
}
