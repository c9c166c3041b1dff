using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>QualifiedName, LocalizedText and ExtensionObject (Part 6 §5.2.2.13-15); DiagnosticInfo lives in <see cref="DiagnosticInfoCodec"/>.</summary>
internal static class StructureCodec
{
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

    /// <summary>
    /// Writes an ExtensionObject: its raw body when it has one, else the encoding of its known
    /// <see cref="ExtensionObject.Structure"/> with the length filled in afterwards, else no body.
    /// </summary>
    public static void WriteExtensionObject(UaWriter writer, ExtensionObject value)
    {
        NodeIdCodec.Write(writer, value.TypeId);
        if (value.Body is not null)
        {
            writer.WriteByte(value.Encoding);
            writer.WriteByteString(value.Body);
            return;
        }

        if (value.Structure is null)
        {
            writer.WriteByte(ExtensionObject.NoBody);
            return;
        }

        writer.WriteByte(ExtensionObject.BinaryBody);
        var lengthAt = writer.Reserve(4);
        var start = writer.Position;
        KnownStructures.Encode(writer, value.Structure);
        writer.PatchUInt32(lengthAt, (uint)(writer.Position - start));
    }

    /// <summary>
    /// Reads an ExtensionObject keeping its body as raw bytes and, for a binary body of a known encoding id
    /// (<see cref="KnownStructures"/>), the decoded structure too.
    /// </summary>
    public static ExtensionObject ReadExtensionObject(ref UaReader reader)
    {
        var typeId = NodeIdCodec.Read(ref reader);
        var encoding = reader.ReadByte();
        switch (encoding)
        {
            case ExtensionObject.NoBody:
                return typeId.IsNull ? ExtensionObject.Null : new ExtensionObject(typeId, encoding, null);
            case ExtensionObject.XmlBody:
                return new ExtensionObject(typeId, encoding, reader.ReadByteString());
            case ExtensionObject.BinaryBody:
                var body = reader.ReadByteStringSpan(out var isNull);
                if (isNull)
                {
                    return new ExtensionObject(typeId, encoding, null);
                }

                var bodyReader = reader.Nested(body);
                var structure = KnownStructures.TryDecode(typeId, ref bodyReader);
                return new ExtensionObject(typeId, encoding, body.ToArray()) { Structure = structure };
            default:
                throw OpcUaProtocolException.Malformed($"unknown ExtensionObject encoding 0x{encoding:X2}");
        }
    }

    /// <summary>Reads past a DiagnosticInfo (nesting limited by <see cref="UaReader.MaxNestingDepth"/>).</summary>
    public static void SkipDiagnosticInfo(ref UaReader reader) => DiagnosticInfoCodec.Read(ref reader);

    /// <summary>Reads past an array of DiagnosticInfo (length -1/0 is the common case).</summary>
    public static void SkipDiagnosticInfos(ref UaReader reader)
    {
        var count = reader.ReadCount(1);
        for (var i = 0; i < count; i++)
        {
            SkipDiagnosticInfo(ref reader);
        }
    }
}
