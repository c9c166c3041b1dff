using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>
/// Variant and DataValue encodings (Part 6 §5.2.2.16-17): scalars, arrays and matrices of every built-in type.
/// A matrix is its flattened values (higher-rank dimensions first) followed by its dimensions. Nesting (a DataValue
/// or Variant array inside a Variant) counts against <see cref="UaReader.MaxNestingDepth"/>.
/// </summary>
internal static class VariantCodec
{
    private const byte ArrayFlag = 0x80;
    private const byte DimensionsFlag = 0x40;
    private const byte ValueBit = 0x01;
    private const byte StatusBit = 0x02;
    private const byte SourceTimestampBit = 0x04;
    private const byte ServerTimestampBit = 0x08;
    private const byte SourcePicosecondsBit = 0x10;
    private const byte ServerPicosecondsBit = 0x20;
    private const ushort MaxPicoseconds = 9999;

    public static void Write(UaWriter writer, in Variant value)
    {
        if (value.IsNull)
        {
            writer.WriteByte(0);
            return;
        }

        if (!value.IsArray)
        {
            writer.WriteByte((byte)value.Type);
            WriteScalar(writer, value.Type, value.Bits, value.Reference);
            return;
        }

        var dimensions = value.ArrayDimensions;
        writer.WriteByte((byte)((byte)value.Type | ArrayFlag | (dimensions is null ? 0 : DimensionsFlag)));
        var array = (Array)value.Reference!;
        writer.WriteInt32(array.Length);
        switch (array)
        {
            case bool[] a: foreach (var v in a) { writer.WriteBoolean(v); } break;
            case sbyte[] a: foreach (var v in a) { writer.WriteSByte(v); } break;
            case byte[] a: writer.WriteBytes(a); break;
            case short[] a: foreach (var v in a) { writer.WriteInt16(v); } break;
            case ushort[] a: foreach (var v in a) { writer.WriteUInt16(v); } break;
            case int[] a: foreach (var v in a) { writer.WriteInt32(v); } break;
            case uint[] a: foreach (var v in a) { writer.WriteUInt32(v); } break;
            case long[] a: foreach (var v in a) { writer.WriteInt64(v); } break;
            case ulong[] a: foreach (var v in a) { writer.WriteUInt64(v); } break;
            case float[] a: foreach (var v in a) { writer.WriteFloat(v); } break;
            case double[] a: foreach (var v in a) { writer.WriteDouble(v); } break;
            case DateTime[] a: foreach (var v in a) { writer.WriteDateTime(v); } break;
            case Guid[] a: foreach (var v in a) { writer.WriteGuid(v); } break;
            case string?[] a: foreach (var v in a) { writer.WriteString(v); } break;
            case object?[] a: foreach (var v in a) { WriteScalar(writer, value.Type, 0, v); } break;
            default: throw new ArgumentException($"unsupported array type {array.GetType()} for {value.Type}", nameof(value));
        }

        if (dimensions is not null)
        {
            writer.WriteInt32(dimensions.Length);
            foreach (var dimension in dimensions)
            {
                writer.WriteInt32(dimension);
            }
        }
    }

    public static void WriteDataValue(UaWriter writer, in DataValue value)
    {
        var hasSource = value.SourceTimestamp != DateTime.MinValue;
        var hasServer = value.ServerTimestamp != DateTime.MinValue;
        var mask = (byte)((value.Value.IsNull ? 0 : ValueBit) | (value.StatusCode == 0 ? 0 : StatusBit)
            | (hasSource ? SourceTimestampBit : 0) | (hasServer ? ServerTimestampBit : 0)
            | (hasSource && value.SourcePicoseconds != 0 ? SourcePicosecondsBit : 0)
            | (hasServer && value.ServerPicoseconds != 0 ? ServerPicosecondsBit : 0));
        writer.WriteByte(mask);
        if ((mask & ValueBit) != 0)
        {
            Write(writer, value.Value);
        }

        if ((mask & StatusBit) != 0)
        {
            writer.WriteUInt32(value.StatusCode);
        }

        if ((mask & SourceTimestampBit) != 0)
        {
            writer.WriteDateTime(value.SourceTimestamp);
        }

        if ((mask & SourcePicosecondsBit) != 0)
        {
            writer.WriteUInt16(value.SourcePicoseconds);
        }

        if ((mask & ServerTimestampBit) != 0)
        {
            writer.WriteDateTime(value.ServerTimestamp);
        }

        if ((mask & ServerPicosecondsBit) != 0)
        {
            writer.WriteUInt16(value.ServerPicoseconds);
        }
    }

    public static DataValue ReadDataValue(ref UaReader reader)
    {
        reader.Enter("DataValue");
        var mask = reader.ReadByte();
        var value = (mask & ValueBit) != 0 ? Read(ref reader) : default;
        var status = (mask & StatusBit) != 0 ? reader.ReadUInt32() : StatusCodes.Good;
        var source = (mask & SourceTimestampBit) != 0 ? reader.ReadDateTime() : DateTime.MinValue;
        var sourcePico = (mask & SourcePicosecondsBit) != 0 ? Picoseconds(reader.ReadUInt16()) : (ushort)0;
        var server = (mask & ServerTimestampBit) != 0 ? reader.ReadDateTime() : DateTime.MinValue;
        var serverPico = (mask & ServerPicosecondsBit) != 0 ? Picoseconds(reader.ReadUInt16()) : (ushort)0;
        reader.Leave();
        return new DataValue(value, status, source, server) { SourcePicoseconds = sourcePico, ServerPicoseconds = serverPico };
    }

    public static Variant Read(ref UaReader reader)
    {
        reader.Enter("Variant");
        var value = ReadUnnested(ref reader);
        reader.Leave();
        return value;
    }

    /// <summary>Part 6 §5.2.2.17: picosecond values of 10 000 and above mean 9 999.</summary>
    private static ushort Picoseconds(ushort value) => Math.Min(value, MaxPicoseconds);

    private static Variant ReadUnnested(ref UaReader reader)
    {
        var mask = reader.ReadByte();
        var typeId = (byte)(mask & 0x3F);

        // Part 6 §5.2.2.16: ids 26-31 are reserved and decode as ByteString.
        var type = typeId > (byte)BuiltInType.DiagnosticInfo ? BuiltInType.ByteString : (BuiltInType)typeId;
        if ((mask & ArrayFlag) == 0)
        {
            if (type == BuiltInType.Variant)
            {
                throw OpcUaProtocolException.Malformed("a Variant cannot contain a Variant scalar");
            }

            return ReadScalar(ref reader, type);
        }

        var length = reader.ReadLength();
        var array = ReadArray(ref reader, type, Math.Max(length, 0));
        return (mask & DimensionsFlag) != 0 ? ReadMatrix(ref reader, type, array) : Variant.FromArray(type, array);
    }

    /// <summary>
    /// The dimensions after a matrix's values: each non-negative, and multiplying to the values read. One
    /// dimension is just an array.
    /// </summary>
    private static Variant ReadMatrix(ref UaReader reader, BuiltInType type, Array values)
    {
        var count = reader.ReadCount(sizeof(int));
        if (count < 2)
        {
            for (var i = 0; i < count; i++)
            {
                reader.ReadInt32();
            }

            return Variant.FromArray(type, values);
        }

        var dimensions = new int[count];
        long product = 1;
        for (var i = 0; i < count; i++)
        {
            dimensions[i] = reader.ReadInt32();
            if (dimensions[i] < 0)
            {
                throw OpcUaProtocolException.Malformed($"matrix dimension {i} is {dimensions[i]}");
            }

            product = Math.Min(product * dimensions[i], int.MaxValue + 1L);
        }

        if (product != values.Length)
        {
            throw OpcUaProtocolException.Malformed($"matrix dimensions [{string.Join(',', dimensions)}] do not match its {values.Length} values");
        }

        return Variant.FromMatrix(type, values, dimensions);
    }

    private static Array ReadArray(ref UaReader reader, BuiltInType type, int length)
    {
        switch (type)
        {
            case BuiltInType.Boolean: { var a = new bool[length]; for (var i = 0; i < length; i++) { a[i] = reader.ReadBoolean(); } return a; }
            case BuiltInType.SByte: { var a = new sbyte[length]; for (var i = 0; i < length; i++) { a[i] = reader.ReadSByte(); } return a; }
            case BuiltInType.Byte: return reader.ReadBytes(length).ToArray();
            case BuiltInType.Int16: { var a = new short[Bounded(ref reader, length, 2)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadInt16(); } return a; }
            case BuiltInType.UInt16: { var a = new ushort[Bounded(ref reader, length, 2)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadUInt16(); } return a; }
            case BuiltInType.Int32: { var a = new int[Bounded(ref reader, length, 4)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadInt32(); } return a; }
            case BuiltInType.UInt32: { var a = new uint[Bounded(ref reader, length, 4)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadUInt32(); } return a; }
            case BuiltInType.Int64: { var a = new long[Bounded(ref reader, length, 8)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadInt64(); } return a; }
            case BuiltInType.UInt64: { var a = new ulong[Bounded(ref reader, length, 8)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadUInt64(); } return a; }
            case BuiltInType.Float: { var a = new float[Bounded(ref reader, length, 4)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadFloat(); } return a; }
            case BuiltInType.Double: { var a = new double[Bounded(ref reader, length, 8)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadDouble(); } return a; }
            case BuiltInType.DateTime: { var a = new DateTime[Bounded(ref reader, length, 8)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadDateTime(); } return a; }
            case BuiltInType.StatusCode: { var a = new uint[Bounded(ref reader, length, 4)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadUInt32(); } return a; }
            case BuiltInType.Guid: { var a = new Guid[Bounded(ref reader, length, 16)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadGuid(); } return a; }
            case BuiltInType.String or BuiltInType.XmlElement:
                { var a = new string?[Bounded(ref reader, length, 4)]; for (var i = 0; i < length; i++) { a[i] = reader.ReadString(); } return a; }
            default:
                {
                    var a = new object?[length];
                    for (var i = 0; i < length; i++)
                    {
                        // The remaining types are all references (a null ByteString element stays null).
                        a[i] = type == BuiltInType.Variant ? Read(ref reader) : ReadScalar(ref reader, type).Reference;
                    }

                    return a;
                }
        }
    }

    /// <summary>Refuses an element count the remaining bytes cannot hold, before allocating for it.</summary>
    private static int Bounded(ref UaReader reader, int length, int elementSize) =>
        (long)length * elementSize <= reader.Remaining
            ? length
            : throw OpcUaProtocolException.Malformed($"array of {length} elements does not fit in the {reader.Remaining} bytes left");

    private static Variant ReadScalar(ref UaReader reader, BuiltInType type) => type switch
    {
        BuiltInType.Null => default,
        BuiltInType.Boolean => Variant.FromBoolean(reader.ReadBoolean()),
        BuiltInType.SByte => Variant.FromSByte(reader.ReadSByte()),
        BuiltInType.Byte => Variant.FromByte(reader.ReadByte()),
        BuiltInType.Int16 => Variant.FromInt16(reader.ReadInt16()),
        BuiltInType.UInt16 => Variant.FromUInt16(reader.ReadUInt16()),
        BuiltInType.Int32 => Variant.FromInt32(reader.ReadInt32()),
        BuiltInType.UInt32 => Variant.FromUInt32(reader.ReadUInt32()),
        BuiltInType.Int64 => Variant.FromInt64(reader.ReadInt64()),
        BuiltInType.UInt64 => Variant.FromUInt64(reader.ReadUInt64()),
        BuiltInType.Float => Variant.FromFloat(reader.ReadFloat()),
        BuiltInType.Double => Variant.FromDouble(reader.ReadDouble()),
        BuiltInType.String => Variant.FromString(reader.ReadString()),
        BuiltInType.DateTime => Variant.FromDateTime(reader.ReadDateTime()),
        BuiltInType.Guid => Variant.FromReference(type, reader.ReadGuid()),
        BuiltInType.ByteString => Variant.FromByteString(reader.ReadByteString()),
        BuiltInType.XmlElement => Variant.FromReference(type, reader.ReadString()),
        BuiltInType.NodeId => Variant.FromReference(type, NodeIdCodec.Read(ref reader)),
        BuiltInType.ExpandedNodeId => Variant.FromReference(type, NodeIdCodec.ReadExpanded(ref reader)),
        BuiltInType.StatusCode => Variant.FromStatusCode(reader.ReadUInt32()),
        BuiltInType.QualifiedName => Variant.FromReference(type, StructureCodec.ReadQualifiedName(ref reader)),
        BuiltInType.LocalizedText => Variant.FromReference(type, StructureCodec.ReadLocalizedText(ref reader)),
        BuiltInType.ExtensionObject => Variant.FromReference(type, StructureCodec.ReadExtensionObject(ref reader)),
        BuiltInType.DataValue => Variant.FromReference(type, ReadDataValue(ref reader)),
        BuiltInType.DiagnosticInfo => Variant.FromReference(type, DiagnosticInfoCodec.Read(ref reader)),
        _ => throw OpcUaProtocolException.Malformed($"unexpected Variant type {type}"),
    };

    private static void WriteScalar(UaWriter writer, BuiltInType type, ulong bits, object? reference)
    {
        switch (type)
        {
            case BuiltInType.Boolean: writer.WriteBoolean(bits != 0); break;
            case BuiltInType.SByte or BuiltInType.Byte: writer.WriteByte((byte)bits); break;
            case BuiltInType.Int16 or BuiltInType.UInt16: writer.WriteUInt16((ushort)bits); break;
            case BuiltInType.Int32 or BuiltInType.UInt32 or BuiltInType.Float or BuiltInType.StatusCode: writer.WriteUInt32((uint)bits); break;
            case BuiltInType.Int64 or BuiltInType.UInt64 or BuiltInType.Double: writer.WriteUInt64(bits); break;
            case BuiltInType.DateTime: writer.WriteDateTime(new DateTime((long)bits, DateTimeKind.Utc)); break;
            case BuiltInType.String or BuiltInType.XmlElement: writer.WriteString((string?)reference); break;
            case BuiltInType.Guid: writer.WriteGuid((Guid)reference!); break;
            case BuiltInType.ByteString when reference is null: writer.WriteNullByteString(); break;
            case BuiltInType.ByteString: writer.WriteByteString((byte[])reference); break;
            case BuiltInType.NodeId: NodeIdCodec.Write(writer, (NodeId)reference!); break;
            case BuiltInType.ExpandedNodeId: NodeIdCodec.WriteExpanded(writer, (ExpandedNodeId)reference!); break;
            case BuiltInType.QualifiedName: StructureCodec.WriteQualifiedName(writer, (QualifiedName)reference!); break;
            case BuiltInType.LocalizedText: StructureCodec.WriteLocalizedText(writer, (LocalizedText)reference!); break;
            case BuiltInType.ExtensionObject: StructureCodec.WriteExtensionObject(writer, (ExtensionObject)reference!); break;
            case BuiltInType.DataValue: WriteDataValue(writer, (DataValue)reference!); break;
            case BuiltInType.Variant: Write(writer, (Variant)reference!); break;
            case BuiltInType.DiagnosticInfo: DiagnosticInfoCodec.Write(writer, (DiagnosticInfo?)reference); break;
            default: throw new ArgumentException($"cannot encode a {type} scalar", nameof(type));
        }
    }
}
