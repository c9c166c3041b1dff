namespace EdgePartition.OpcUa.Types;

/// <summary>A NodeId that may name its namespace by URI and live on another server (Part 6 §5.2.2.10).</summary>
public sealed record ExpandedNodeId(NodeId NodeId, string? NamespaceUri, uint ServerIndex);
