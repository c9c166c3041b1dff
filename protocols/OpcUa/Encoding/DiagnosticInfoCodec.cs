using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>
/// DiagnosticInfo (Part 6 §5.2.2.12). The mask bits are SymbolicId 0x01, NamespaceUri 0x02, LocalizedText 0x04,
/// Locale 0x08, AdditionalInfo 0x10, InnerStatusCode 0x20, InnerDiagnosticInfo 0x40, but the wire order puts
/// Locale before LocalizedText. Nesting counts against <see cref="UaReader.MaxNestingDepth"/>.
/// </summary>
internal static class DiagnosticInfoCodec
{
    private const byte SymbolicIdBit = 0x01;
    private const byte NamespaceUriBit = 0x02;
    private const byte LocalizedTextBit = 0x04;
    private const byte LocaleBit = 0x08;
    private const byte AdditionalInfoBit = 0x10;
    private const byte InnerStatusCodeBit = 0x20;
    private const byte InnerDiagnosticInfoBit = 0x40;

    /// <summary>The DiagnosticInfo with no fields, shared so the common empty case does not allocate.</summary>
    public static readonly DiagnosticInfo Empty = new();

    public static DiagnosticInfo Read(ref UaReader reader)
    {
        reader.Enter("DiagnosticInfo");
        var mask = reader.ReadByte();
        if (mask == 0)
        {
            reader.Leave();
            return Empty;
        }

        var symbolicId = (mask & SymbolicIdBit) != 0 ? reader.ReadInt32() : (int?)null;
        var namespaceUri = (mask & NamespaceUriBit) != 0 ? reader.ReadInt32() : (int?)null;
        var locale = (mask & LocaleBit) != 0 ? reader.ReadInt32() : (int?)null;
        var localizedText = (mask & LocalizedTextBit) != 0 ? reader.ReadInt32() : (int?)null;
        var additionalInfo = (mask & AdditionalInfoBit) != 0 ? reader.ReadString() : null;
        var innerStatus = (mask & InnerStatusCodeBit) != 0 ? reader.ReadUInt32() : (uint?)null;
        var inner = (mask & InnerDiagnosticInfoBit) != 0 ? Read(ref reader) : null;
        reader.Leave();
        return new DiagnosticInfo
        {
            SymbolicId = symbolicId,
            NamespaceUri = namespaceUri,
            Locale = locale,
            LocalizedText = localizedText,
            AdditionalInfo = additionalInfo,
            InnerStatusCode = innerStatus,
            Inner = inner,
        };
    }

    public static void Write(UaWriter writer, DiagnosticInfo? value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte((byte)((value.SymbolicId is null ? 0 : SymbolicIdBit) | (value.NamespaceUri is null ? 0 : NamespaceUriBit)
            | (value.LocalizedText is null ? 0 : LocalizedTextBit) | (value.Locale is null ? 0 : LocaleBit)
            | (value.AdditionalInfo is null ? 0 : AdditionalInfoBit) | (value.InnerStatusCode is null ? 0 : InnerStatusCodeBit)
            | (value.Inner is null ? 0 : InnerDiagnosticInfoBit)));
        WriteIfPresent(writer, value.SymbolicId);
        WriteIfPresent(writer, value.NamespaceUri);
        WriteIfPresent(writer, value.Locale);
        WriteIfPresent(writer, value.LocalizedText);
        if (value.AdditionalInfo is not null)
        {
            writer.WriteString(value.AdditionalInfo);
        }

        if (value.InnerStatusCode is { } inner)
        {
            writer.WriteUInt32(inner);
        }

        if (value.Inner is not null)
        {
            Write(writer, value.Inner);
        }
    }

    public static DiagnosticInfo[] ReadArray(ref UaReader reader) => ArrayCodec.Read(ref reader, Read, 1);

    public static void WriteArray(UaWriter writer, IReadOnlyList<DiagnosticInfo> values) => ArrayCodec.Write(writer, values, Write);

    private static void WriteIfPresent(UaWriter writer, int? value)
    {
        if (value is { } present)
        {
            writer.WriteInt32(present);
        }
    }
}
