namespace EdgePartition.OpcUa.Types;

/// <summary>A name qualified by a namespace index (Part 6 §5.2.2.13: the index is UInt16 on the wire).</summary>
public sealed record QualifiedName(ushort NamespaceIndex, string? Name);

/// <summary>Text with an optional locale (Part 6 §5.2.2.14).</summary>
public sealed record LocalizedText(string? Locale, string? Text);

/// <summary>
/// A structure this client does not decode: its encoding node id and raw body, kept so it can be skipped
/// (Part 6 §5.2.2.15).
/// </summary>
public sealed record ExtensionObject(NodeId TypeId, byte Encoding, byte[]? Body);
