using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>NodeId and ExpandedNodeId encodings (Part 6 §5.2.2.9-10): smallest form on write, every form on read.</summary>
internal static class NodeIdCodec
{
    private const byte TwoByte = 0x00;
    private const byte FourByte = 0x01;
    private const byte NumericForm = 0x02;
    private const byte StringForm = 0x03;
    private const byte GuidForm = 0x04;
    private const byte OpaqueForm = 0x05;
    private const byte ServerIndexFlag = 0x40;
    private const byte NamespaceUriFlag = 0x80;

    public static void Write(UaWriter writer, NodeId node) => Write(writer, node, 0);

    public static void WriteExpanded(UaWriter writer, ExpandedNodeId node)
    {
        var flags = (byte)((node.NamespaceUri is null ? 0 : NamespaceUriFlag) | (node.ServerIndex == 0 ? 0 : ServerIndexFlag));
        Write(writer, node.NodeId, flags);
        if (node.NamespaceUri is not null)
        {
            writer.WriteString(node.NamespaceUri);
        }

        if (node.ServerIndex != 0)
        {
            writer.WriteUInt32(node.ServerIndex);
        }
    }

    public static NodeId Read(ref UaReader reader)
    {
        var form = reader.ReadByte();
        if ((form & (ServerIndexFlag | NamespaceUriFlag)) != 0)
        {
            throw OpcUaProtocolException.Malformed($"NodeId encoding byte 0x{form:X2} has ExpandedNodeId flags");
        }

        return ReadBody(ref reader, form);
    }

    public static ExpandedNodeId ReadExpanded(ref UaReader reader)
    {
        var form = reader.ReadByte();
        var node = ReadBody(ref reader, (byte)(form & 0x3F));
        var uri = (form & NamespaceUriFlag) != 0 ? reader.ReadString() : null;
        var server = (form & ServerIndexFlag) != 0 ? reader.ReadUInt32() : 0;
        return new ExpandedNodeId(node, uri, server);
    }

    private static void Write(UaWriter writer, NodeId node, byte flags)
    {
        var ns = node.NamespaceIndex;
        switch (node.Type)
        {
            case NodeIdType.Numeric when ns == 0 && node.Numeric <= byte.MaxValue:
                writer.WriteByte((byte)(TwoByte | flags));
                writer.WriteByte((byte)node.Numeric);
                break;
            case NodeIdType.Numeric when ns <= byte.MaxValue && node.Numeric <= ushort.MaxValue:
                writer.WriteByte((byte)(FourByte | flags));
                writer.WriteByte((byte)ns);
                writer.WriteUInt16((ushort)node.Numeric);
                break;
            case NodeIdType.Numeric:
                writer.WriteByte((byte)(NumericForm | flags));
                writer.WriteUInt16(ns);
                writer.WriteUInt32(node.Numeric);
                break;
            case NodeIdType.String:
                writer.WriteByte((byte)(StringForm | flags));
                writer.WriteUInt16(ns);
                writer.WriteString(node.Text);
                break;
            case NodeIdType.Guid:
                writer.WriteByte((byte)(GuidForm | flags));
                writer.WriteUInt16(ns);
                writer.WriteGuid(node.Guid);
                break;
            default:
                writer.WriteByte((byte)(OpaqueForm | flags));
                writer.WriteUInt16(ns);
                writer.WriteByteString(node.Opaque);
                break;
        }
    }

    private static NodeId ReadBody(ref UaReader reader, byte form) => form switch
    {
        TwoByte => new NodeId(0, reader.ReadByte()),
        FourByte => new NodeId(reader.ReadByte(), reader.ReadUInt16()),
        NumericForm => new NodeId(reader.ReadUInt16(), reader.ReadUInt32()),
        StringForm => new NodeId(reader.ReadUInt16(), reader.ReadString() ?? string.Empty),
        GuidForm => new NodeId(reader.ReadUInt16(), reader.ReadGuid()),
        OpaqueForm => new NodeId(reader.ReadUInt16(), reader.ReadByteString() ?? []),
        _ => throw OpcUaProtocolException.Malformed($"unknown NodeId encoding byte 0x{form:X2}"),
    };
}
