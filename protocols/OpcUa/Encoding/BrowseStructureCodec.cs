using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>Structures of the View services (Part 4 §5.8, §7.6, §7.30, §7.45; Opc.Ua.Types.bsd field order).</summary>
internal static class BrowseStructureCodec
{
    public static ViewDescription ReadView(ref UaReader reader) => new(NodeIdCodec.Read(ref reader), reader.ReadDateTime(), reader.ReadUInt32());

    public static void WriteView(UaWriter writer, ViewDescription value)
    {
        NodeIdCodec.Write(writer, value.ViewId);
        writer.WriteDateTime(value.Timestamp);
        writer.WriteUInt32(value.ViewVersion);
    }

    public static BrowseDescription ReadDescription(ref UaReader reader) => new(
        NodeIdCodec.Read(ref reader),
        (BrowseDirection)reader.ReadUInt32(),
        NodeIdCodec.Read(ref reader),
        reader.ReadBoolean(),
        (NodeClass)reader.ReadUInt32(),
        (BrowseResultMask)reader.ReadUInt32());

    public static void WriteDescription(UaWriter writer, BrowseDescription value)
    {
        NodeIdCodec.Write(writer, value.NodeId);
        writer.WriteUInt32((uint)value.BrowseDirection);
        NodeIdCodec.Write(writer, value.ReferenceTypeId);
        writer.WriteBoolean(value.IncludeSubtypes);
        writer.WriteUInt32((uint)value.NodeClassMask);
        writer.WriteUInt32((uint)value.ResultMask);
    }

    public static ReferenceDescription ReadReference(ref UaReader reader) => new(
        NodeIdCodec.Read(ref reader),
        reader.ReadBoolean(),
        NodeIdCodec.ReadExpanded(ref reader),
        StructureCodec.ReadQualifiedName(ref reader),
        StructureCodec.ReadLocalizedText(ref reader),
        (NodeClass)reader.ReadUInt32(),
        NodeIdCodec.ReadExpanded(ref reader));

    public static void WriteReference(UaWriter writer, ReferenceDescription value)
    {
        NodeIdCodec.Write(writer, value.ReferenceTypeId);
        writer.WriteBoolean(value.IsForward);
        NodeIdCodec.WriteExpanded(writer, value.NodeId);
        StructureCodec.WriteQualifiedName(writer, value.BrowseName);
        StructureCodec.WriteLocalizedText(writer, value.DisplayName);
        writer.WriteUInt32((uint)value.NodeClass);
        NodeIdCodec.WriteExpanded(writer, value.TypeDefinition);
    }

    public static BrowseResult ReadResult(ref UaReader reader) =>
        new(reader.ReadUInt32(), reader.ReadByteString(), ArrayCodec.Read(ref reader, ReadReference, 16));

    public static void WriteResult(UaWriter writer, BrowseResult value)
    {
        writer.WriteUInt32(value.StatusCode);
        writer.WriteNullableByteString(value.ContinuationPoint);

        ArrayCodec.Write(writer, value.References, WriteReference);
    }
}
