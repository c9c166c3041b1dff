using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>QualifiedName, LocalizedText, ExtensionObject and DiagnosticInfo (Part 6 §5.2.2.12-15).</summary>
internal static class StructureCodec
{
    /// <summary>Nested DiagnosticInfos deeper than this are treated as malformed (a hostile peer could recurse forever).</summary>
    public const int MaxDiagnosticDepth = 16;

    public static void WriteQualifiedName(UaWriter writer, QualifiedName name)
    {
        writer.WriteUInt16(name.NamespaceIndex);
        writer.WriteString(name.Name);
    }

    public static QualifiedName ReadQualifiedName(ref UaReader reader) => new(reader.ReadUInt16(), reader.ReadString());

    public static void WriteLocalizedText(UaWriter writer, LocalizedText text)
    {
        writer.WriteByte((byte)((text.Locale is null ? 0 : 1) | (text.Text is null ? 0 : 2)));
        if (text.Locale is not null)
        {
            writer.WriteString(text.Locale);
        }

        if (text.Text is not null)
        {
            writer.WriteString(text.Text);
        }
    }

    public static LocalizedText ReadLocalizedText(ref UaReader reader)
    {
        var mask = reader.ReadByte();
        var locale = (mask & 1) != 0 ? reader.ReadString() : null;
        var text = (mask & 2) != 0 ? reader.ReadString() : null;
        return new LocalizedText(locale, text);
    }

    public static void WriteExtensionObject(UaWriter writer, ExtensionObject value)
    {
        NodeIdCodec.Write(writer, value.TypeId);
        writer.WriteByte(value.Body is null ? (byte)0 : value.Encoding);
        if (value.Body is not null)
        {
            writer.WriteByteString(value.Body);
        }
    }

    /// <summary>Reads an ExtensionObject keeping its body as raw bytes (this client decodes no structures inside values).</summary>
    public static ExtensionObject ReadExtensionObject(ref UaReader reader)
    {
        var typeId = NodeIdCodec.Read(ref reader);
        var encoding = reader.ReadByte();
        return encoding switch
        {
            0 => new ExtensionObject(typeId, 0, null),
            1 or 2 => new ExtensionObject(typeId, encoding, reader.ReadByteString()),
            _ => throw OpcUaProtocolException.Malformed($"unknown ExtensionObject encoding 0x{encoding:X2}"),
        };
    }

    /// <summary>Skips a DiagnosticInfo; field order is SymbolicId, NamespaceUri, Locale, LocalizedText, AdditionalInfo, InnerStatusCode, Inner.</summary>
    public static void SkipDiagnosticInfo(ref UaReader reader, int depth = 0)
    {
        if (depth > MaxDiagnosticDepth)
        {
            throw OpcUaProtocolException.Malformed($"DiagnosticInfo nested deeper than {MaxDiagnosticDepth}");
        }

        var mask = reader.ReadByte();
        if ((mask & 0x01) != 0)
        {
            reader.ReadInt32();
        }

        if ((mask & 0x02) != 0)
        {
            reader.ReadInt32();
        }

        if ((mask & 0x08) != 0)
        {
            reader.ReadInt32();
        }

        if ((mask & 0x04) != 0)
        {
            reader.ReadInt32();
        }

        if ((mask & 0x10) != 0)
        {
            reader.SkipByteString();
        }

        if ((mask & 0x20) != 0)
        {
            reader.ReadUInt32();
        }

        if ((mask & 0x40) != 0)
        {
            SkipDiagnosticInfo(ref reader, depth + 1);
        }
    }

    /// <summary>Skips an array of DiagnosticInfo (length -1/0 is the common case).</summary>
    public static void SkipDiagnosticInfos(ref UaReader reader)
    {
        var count = reader.ReadLength();
        for (var i = 0; i < count; i++)
        {
            SkipDiagnosticInfo(ref reader);
        }
    }
}
