namespace EdgePartition.OpcUa.Types;

/// <summary>Part 4 §7.5 (Browse) BrowseDirection.</summary>
public enum BrowseDirection : uint
{
    Forward = 0,
    Inverse = 1,
    Both = 2,
}

/// <summary>Part 3 §8.29 NodeClass; as a Browse mask several may be combined (0 = all).</summary>
[Flags]
public enum NodeClass : uint
{
    Unspecified = 0,
    Object = 1,
    Variable = 2,
    Method = 4,
    ObjectType = 8,
    VariableType = 16,
    ReferenceType = 32,
    DataType = 64,
    View = 128,
}

/// <summary>Which fields of a ReferenceDescription a Browse fills (Part 4 §5.8.2, resultMask).</summary>
[Flags]
public enum BrowseResultMask : uint
{
    None = 0,
    ReferenceTypeId = 1,
    IsForward = 2,
    NodeClass = 4,
    BrowseName = 8,
    DisplayName = 16,
    TypeDefinition = 32,
    All = 63,
}

/// <summary>The view to browse (Part 4 §7.45); <see cref="Default"/> is the whole address space.</summary>
public sealed record ViewDescription(NodeId ViewId, DateTime Timestamp, uint ViewVersion)
{
    public static ViewDescription Default { get; } = new(NodeId.Null, DateTime.MinValue, 0);
}

/// <summary>One node to browse and which references to follow (Part 4 §5.8.2).</summary>
public sealed record BrowseDescription(
    NodeId NodeId, BrowseDirection BrowseDirection, NodeId ReferenceTypeId, bool IncludeSubtypes, NodeClass NodeClassMask, BrowseResultMask ResultMask);

/// <summary>One reference found by Browse (Part 4 §7.30).</summary>
public sealed record ReferenceDescription(
    NodeId ReferenceTypeId,
    bool IsForward,
    ExpandedNodeId NodeId,
    QualifiedName BrowseName,
    LocalizedText DisplayName,
    NodeClass NodeClass,
    ExpandedNodeId TypeDefinition);

/// <summary>
/// The references of one browsed node (Part 4 §7.6). A non-null <see cref="ContinuationPoint"/> means more remain:
/// fetch them with BrowseNext or release the point.
/// </summary>
public sealed record BrowseResult(uint StatusCode, byte[]? ContinuationPoint, ReferenceDescription[] References);
