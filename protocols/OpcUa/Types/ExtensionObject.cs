namespace EdgePartition.OpcUa.Types;

/// <summary>
/// A structure inside a value or message (Part 6 §5.2.2.15): the node id of its encoding, the encoding byte
/// (0 none, 1 binary ByteString, 2 XmlElement) and the raw body, always kept so unknown types pass through.
/// When the encoding id is one this library knows (<see cref="ServerStatusDataType"/>, <see cref="Range"/>,
/// <see cref="DataChangeFilter"/>, the notifications...), <see cref="Structure"/> holds the decoded value too.
/// </summary>
public sealed record ExtensionObject(NodeId TypeId, byte Encoding, byte[]? Body)
{
    public const byte NoBody = 0;
    public const byte BinaryBody = 1;
    public const byte XmlBody = 2;

    /// <summary>The decoded structure for a known binary encoding id, else null.</summary>
    public object? Structure { get; init; }

    /// <summary>The null ExtensionObject (no type, no body).</summary>
    public static ExtensionObject Null { get; } = new(NodeId.Null, NoBody, null);

    /// <summary>A known structure to encode with its binary encoding id (namespace 0).</summary>
    public static ExtensionObject FromStructure(uint binaryEncodingId, object structure) =>
        new(new NodeId(0, binaryEncodingId), BinaryBody, null) { Structure = structure };
}
