namespace EdgePartition.OpcUa.Types;

/// <summary>A name qualified by a namespace index (Part 6 §5.2.2.13: the index is UInt16 on the wire).</summary>
public sealed record QualifiedName(ushort NamespaceIndex, string? Name);

/// <summary>Text with an optional locale (Part 6 §5.2.2.14).</summary>
public sealed record LocalizedText(string? Locale, string? Text);
