using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>Field-by-field encodings of the Part 5 / Part 8 structures a server exposes as values (Opc.Ua.Types.bsd field order).</summary>
internal static class StandardStructureCodec
{
    public static ServerStatusDataType ReadServerStatus(ref UaReader reader) => new(
        reader.ReadDateTime(),
        reader.ReadDateTime(),
        (ServerState)reader.ReadUInt32(),
        ReadBuildInfo(ref reader),
        reader.ReadUInt32(),
        StructureCodec.ReadLocalizedText(ref reader));

    public static void WriteServerStatus(UaWriter writer, ServerStatusDataType value)
    {
        writer.WriteDateTime(value.StartTime);
        writer.WriteDateTime(value.CurrentTime);
        writer.WriteUInt32((uint)value.State);
        WriteBuildInfo(writer, value.BuildInfo);
        writer.WriteUInt32(value.SecondsTillShutdown);
        StructureCodec.WriteLocalizedText(writer, value.ShutdownReason);
    }

    public static BuildInfo ReadBuildInfo(ref UaReader reader) => new(
        reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadDateTime());

    public static void WriteBuildInfo(UaWriter writer, BuildInfo value)
    {
        writer.WriteString(value.ProductUri);
        writer.WriteString(value.ManufacturerName);
        writer.WriteString(value.ProductName);
        writer.WriteString(value.SoftwareVersion);
        writer.WriteString(value.BuildNumber);
        writer.WriteDateTime(value.BuildDate);
    }

    public static ValueRange ReadRange(ref UaReader reader) => new(reader.ReadDouble(), reader.ReadDouble());

    public static void WriteRange(UaWriter writer, ValueRange value)
    {
        writer.WriteDouble(value.Low);
        writer.WriteDouble(value.High);
    }

    public static EUInformation ReadEUInformation(ref UaReader reader) => new(
        reader.ReadString(), reader.ReadInt32(), StructureCodec.ReadLocalizedText(ref reader), StructureCodec.ReadLocalizedText(ref reader));

    public static void WriteEUInformation(UaWriter writer, EUInformation value)
    {
        writer.WriteString(value.NamespaceUri);
        writer.WriteInt32(value.UnitId);
        StructureCodec.WriteLocalizedText(writer, value.DisplayName);
        StructureCodec.WriteLocalizedText(writer, value.Description);
    }

    public static Argument ReadArgument(ref UaReader reader) => new(
        reader.ReadString(),
        NodeIdCodec.Read(ref reader),
        reader.ReadInt32(),
        ArrayCodec.ReadUInt32s(ref reader),
        StructureCodec.ReadLocalizedText(ref reader));

    public static void WriteArgument(UaWriter writer, Argument value)
    {
        writer.WriteString(value.Name);
        NodeIdCodec.Write(writer, value.DataType);
        writer.WriteInt32(value.ValueRank);
        ArrayCodec.WriteUInt32s(writer, value.ArrayDimensions);
        StructureCodec.WriteLocalizedText(writer, value.Description);
    }
}
