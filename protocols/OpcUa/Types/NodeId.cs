namespace EdgePartition.OpcUa.Types;

/// <summary>The kind of identifier a <see cref="NodeId"/> carries (Part 3 §8.2.3).</summary>
public enum NodeIdType : byte
{
    Numeric,
    String,
    Guid,
    Opaque,
}

/// <summary>An OPC UA node identifier: a namespace index plus a numeric, string, GUID or opaque identifier.</summary>
public sealed class NodeId : IEquatable<NodeId>
{
    public static readonly NodeId Null = new(0, 0u);

    public NodeId(ushort namespaceIndex, uint numeric)
    {
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.Numeric;
        Numeric = numeric;
    }

    public NodeId(ushort namespaceIndex, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.String;
        Text = text;
    }

    public NodeId(ushort namespaceIndex, Guid guid)
    {
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.Guid;
        Guid = guid;
    }

    public NodeId(ushort namespaceIndex, byte[] opaque)
    {
        ArgumentNullException.ThrowIfNull(opaque);
        NamespaceIndex = namespaceIndex;
        Type = NodeIdType.Opaque;
        Opaque = opaque;
    }

    public ushort NamespaceIndex { get; }

    public NodeIdType Type { get; }

    public uint Numeric { get; }

    public string? Text { get; }

    public Guid Guid { get; }

    public byte[]? Opaque { get; }

    public bool IsNull => Type == NodeIdType.Numeric && NamespaceIndex == 0 && Numeric == 0;

    /// <summary>Parses the text form (<c>ns=2;s=Name</c>, <c>i=2258</c>, <c>ns=3;g=GUID</c>, <c>ns=1;b=BASE64</c>).</summary>
    public static NodeId Parse(string text) => NodeIdParser.Parse(text);

    public bool Equals(NodeId? other) =>
        other is not null && other.NamespaceIndex == NamespaceIndex && other.Type == Type && Type switch
        {
            NodeIdType.Numeric => other.Numeric == Numeric,
            NodeIdType.String => string.Equals(other.Text, Text, StringComparison.Ordinal),
            NodeIdType.Guid => other.Guid == Guid,
            _ => other.Opaque.AsSpan().SequenceEqual(Opaque),
        };

    public override bool Equals(object? obj) => Equals(obj as NodeId);

    public override int GetHashCode() => Type switch
    {
        NodeIdType.Numeric => HashCode.Combine(NamespaceIndex, Numeric),
        NodeIdType.String => HashCode.Combine(NamespaceIndex, StringComparer.Ordinal.GetHashCode(Text!)),
        NodeIdType.Guid => HashCode.Combine(NamespaceIndex, Guid),
        _ => HashCode.Combine(NamespaceIndex, Opaque!.Length),
    };

    public override string ToString()
    {
        var prefix = NamespaceIndex == 0 ? string.Empty : $"ns={NamespaceIndex};";
        return Type switch
        {
            NodeIdType.Numeric => $"{prefix}i={Numeric}",
            NodeIdType.String => $"{prefix}s={Text}",
            NodeIdType.Guid => $"{prefix}g={Guid}",
            _ => $"{prefix}b={Convert.ToBase64String(Opaque!)}",
        };
    }
}
