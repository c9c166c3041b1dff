namespace EdgePartition.OpcUa.Types;

/// <summary>
/// Vendor diagnostics for a failed operation (Part 4 §7.8, Part 6 §5.2.2.12). The ids index the response header's
/// string table; an absent field is null. <see cref="Inner"/> nests (depth-limited when decoded).
/// </summary>
public sealed record DiagnosticInfo
{
    public int? SymbolicId { get; init; }

    public int? NamespaceUri { get; init; }

    public int? Locale { get; init; }

    public int? LocalizedText { get; init; }

    public string? AdditionalInfo { get; init; }

    public uint? InnerStatusCode { get; init; }

    public DiagnosticInfo? Inner { get; init; }
}
