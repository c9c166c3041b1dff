namespace EdgePartition.OpcUa.Types;

/// <summary>
/// OPC UA's Range structure (Part 8 §5.6.2; encoding i=886), e.g. an analog item's EURange, which percent deadbands
/// need. Named ValueRange so it does not collide with System.Range.
/// </summary>
public sealed record ValueRange(double Low, double High)
{
    public const uint BinaryEncodingId = 886;
}

/// <summary>An engineering unit (Part 8 §5.6.3; encoding i=889); <see cref="UnitId"/> is the UNECE code when the namespace is UNECE's.</summary>
public sealed record EUInformation(string? NamespaceUri, int UnitId, LocalizedText DisplayName, LocalizedText Description)
{
    public const uint BinaryEncodingId = 889;
}

/// <summary>One input or output argument of a method (Part 3 §8.6; encoding i=298).</summary>
public sealed record Argument(string? Name, NodeId DataType, int ValueRank, uint[] ArrayDimensions, LocalizedText Description)
{
    public const uint BinaryEncodingId = 298;
}
