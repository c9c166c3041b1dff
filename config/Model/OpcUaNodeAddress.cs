using EdgePartition.OpcUa.Types;

namespace EdgePartition.Config;

/// <summary>
/// An OPC UA tag address: a NodeId (<see cref="IsBrowsePath"/> false) or a browse path from the Objects folder
/// that the collector translates to a NodeId after connecting (the protocol library has no text form for that).
/// </summary>
public sealed class OpcUaNodeAddress
{
    public bool IsBrowsePath => BrowsePath.Count > 0;

    /// <summary>The node of a NodeId address; <see cref="NodeId.Null"/> for a browse path.</summary>
    public NodeId Node { get; init; } = NodeId.Null;

    /// <summary>The browse names from the Objects folder to the node; empty for a NodeId address.</summary>
    public IReadOnlyList<QualifiedName> BrowsePath { get; init; } = [];
}
