namespace EdgePartition.Config;

/// <summary>The identifier type of a NodeId (OPC UA Part 6, 5.2.2.9 string form i=, s=, g=, b=).</summary>
public enum OpcUaIdType
{
    Numeric,
    String,
    Guid,
    Opaque,
}

/// <summary>One step of a browse path: a namespace index and a browse name.</summary>
public readonly record struct OpcUaBrowseStep(ushort NamespaceIndex, string Name);

/// <summary>
/// An OPC UA tag address: a NodeId (<see cref="IsBrowsePath"/> false) or a browse path from the Objects folder
/// that the collector translates to a NodeId after connecting.
/// </summary>
public sealed class OpcUaNodeAddress
{
    public bool IsBrowsePath => BrowsePath.Count > 0;

    public ushort NamespaceIndex { get; init; }

    public OpcUaIdType IdType { get; init; }

    /// <summary>The identifier as text: digits, the string, the GUID or the base64 of the opaque id.</summary>
    public string Identifier { get; init; } = "";

    public IReadOnlyList<OpcUaBrowseStep> BrowsePath { get; init; } = [];
}
