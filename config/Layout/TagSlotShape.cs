using EdgePartition.Ipc;
using EdgePartition.Modbus.Data;
using EdgePartition.OpcUa.Types;
using EdgePartition.S7;

namespace EdgePartition.Config.Layout;

/// <summary>
/// The segment slot a configured tag gets: the one rule the collector lays segments out by and the endpoints build
/// their address maps by (before any segment exists). S7 BYTE arrays become one Bytes block, strings UTF-8 text,
/// scaled numbers Float64.
/// </summary>
/// <param name="Type">The value type of the slot.</param>
/// <param name="ElementCount">Elements in the slot (1 for a scalar and for a byte block, which is one Bytes value).</param>
/// <param name="MaxLength">Bytes of a String or Bytes element; 0 otherwise.</param>
/// <param name="Characters">Characters of a string as configured; 0 for other types.</param>
/// <param name="IsScaled">True when raw·Scale + ScaleOffset is stored (as Float64) instead of the raw value.</param>
public readonly record struct TagSlotShape(IpcDataType Type, int ElementCount, int MaxLength, int Characters, bool IsScaled)
{
    /// <summary>Characters an OPC UA String tag holds when the config gives no stringLength.</summary>
    public const int DefaultOpcUaStringLength = 256;

    /// <summary>Bytes of a Guid in its text form.</summary>
    private const int GuidTextLength = 36;

    /// <summary>The slot of <paramref name="tag"/>; throws for a type that has no slot.</summary>
    public static TagSlotShape Of(Protocol protocol, TagConfig tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var raw = protocol switch
        {
            Protocol.S7 => OfS7(tag),
            Protocol.Modbus => OfModbus(tag),
            Protocol.Sim => OfSim(tag),
            Protocol.OpcUa => OfOpcUa(tag),
            _ => throw new NotSupportedException($"tag '{tag.Name}': the {protocol} protocol has no collector driver"),
        };

        if (raw.Type == IpcDataType.Bytes)
        {
            // A send/receive block is one value: its bytes, exactly as in the PLC.
            return raw;
        }

        var scaled = NeedsScaling(tag) && IsNumeric(raw.Type);
        return raw with { Type = scaled ? IpcDataType.Float64 : raw.Type, ElementCount = tag.ArrayLength, IsScaled = scaled };
    }

    /// <summary>The slot of <paramref name="tag"/>, or null for a type that has no slot.</summary>
    public static TagSlotShape? TryOf(Protocol protocol, TagConfig tag)
    {
        try
        {
            return Of(protocol, tag);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Whether engineering scaling applies (anything but the identity).</summary>
    public static bool NeedsScaling(TagConfig tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return tag.Scale != 1 || tag.ScaleOffset != 0;
    }

    private static bool IsNumeric(IpcDataType type) => type is >= IpcDataType.Int8 and <= IpcDataType.Float64;

    private static TagSlotShape Fixed(IpcDataType type) => new(type, 1, 0, 0, false);

    private static TagSlotShape Text(int bytes, int characters) => new(IpcDataType.String, 1, bytes, characters, false);

    private static TagSlotShape OfS7(TagConfig tag)
    {
        if (!S7DataTypes.TryParse(tag.DataType, out var type))
        {
            throw Unsupported(tag, "S7");
        }

        if (type == S7DataType.Byte && tag.ArrayLength > 1)
        {
            return new TagSlotShape(IpcDataType.Bytes, 1, tag.ArrayLength, 0, false);
        }

        var characters = tag.StringLength ?? S7DataTypes.DefaultStringLength;
        return type switch
        {
            S7DataType.Bool => Fixed(IpcDataType.Bool),
            S7DataType.Byte or S7DataType.USInt or S7DataType.Char => Fixed(IpcDataType.UInt8),
            S7DataType.SInt => Fixed(IpcDataType.Int8),
            S7DataType.Int => Fixed(IpcDataType.Int16),
            S7DataType.Word or S7DataType.UInt or S7DataType.WChar => Fixed(IpcDataType.UInt16),
            S7DataType.DInt => Fixed(IpcDataType.Int32),
            S7DataType.DWord or S7DataType.UDInt => Fixed(IpcDataType.UInt32),
            S7DataType.LInt => Fixed(IpcDataType.Int64),
            S7DataType.LWord or S7DataType.ULInt => Fixed(IpcDataType.UInt64),
            S7DataType.Real => Fixed(IpcDataType.Float32),
            S7DataType.LReal => Fixed(IpcDataType.Float64),
            S7DataType.Time or S7DataType.LTime or S7DataType.S5Time or S7DataType.TimeOfDay => Fixed(IpcDataType.Duration),
            S7DataType.Date or S7DataType.DateAndTime or S7DataType.Dtl => Fixed(IpcDataType.DateTime),

            // STRING characters are Latin-1 (up to 2 UTF-8 bytes each); WSTRING characters UTF-16 (up to 3).
            S7DataType.String => Text(2 * characters, characters),
            S7DataType.WString => Text(3 * characters, characters),
            _ => throw Unsupported(tag, "S7"),
        };
    }

    private static TagSlotShape OfModbus(TagConfig tag) => (ModbusValueTypes.TryParse(tag.DataType, out var type) ? type : throw Unsupported(tag, "Modbus")) switch
    {
        ModbusValueType.Bit => Fixed(IpcDataType.Bool),
        ModbusValueType.Int16 => Fixed(IpcDataType.Int16),
        ModbusValueType.UInt16 => Fixed(IpcDataType.UInt16),
        ModbusValueType.Int32 => Fixed(IpcDataType.Int32),
        ModbusValueType.UInt32 => Fixed(IpcDataType.UInt32),
        ModbusValueType.Int64 => Fixed(IpcDataType.Int64),
        ModbusValueType.UInt64 => Fixed(IpcDataType.UInt64),
        ModbusValueType.Float32 => Fixed(IpcDataType.Float32),
        ModbusValueType.Float64 => Fixed(IpcDataType.Float64),

        // Latin-1 characters, up to 2 UTF-8 bytes each.
        ModbusValueType.String => Text(2 * ModbusCharacters(tag), ModbusCharacters(tag)),
        _ => throw Unsupported(tag, "Modbus"),
    };

    private static int ModbusCharacters(TagConfig tag) => tag.StringLength ?? 2 * Math.Max(1, tag.ModbusCount);

    private static TagSlotShape OfSim(TagConfig tag) => tag.DataType switch
    {
        "bool" => Fixed(IpcDataType.Bool),
        "int16" => Fixed(IpcDataType.Int16),
        "int32" => Fixed(IpcDataType.Int32),
        "int64" => Fixed(IpcDataType.Int64),
        "float32" => Fixed(IpcDataType.Float32),
        "float64" => Fixed(IpcDataType.Float64),
        _ => throw Unsupported(tag, "sim"),
    };

    private static TagSlotShape OfOpcUa(TagConfig tag)
    {
        var characters = tag.StringLength ?? DefaultOpcUaStringLength;
        return OpcUaTypeNames.Parse(tag) switch
        {
            BuiltInType.Boolean => Fixed(IpcDataType.Bool),
            BuiltInType.SByte => Fixed(IpcDataType.Int8),
            BuiltInType.Byte => Fixed(IpcDataType.UInt8),
            BuiltInType.Int16 => Fixed(IpcDataType.Int16),
            BuiltInType.UInt16 => Fixed(IpcDataType.UInt16),
            BuiltInType.Int32 => Fixed(IpcDataType.Int32),
            BuiltInType.UInt32 or BuiltInType.StatusCode => Fixed(IpcDataType.UInt32),
            BuiltInType.Int64 => Fixed(IpcDataType.Int64),
            BuiltInType.UInt64 => Fixed(IpcDataType.UInt64),
            BuiltInType.Float => Fixed(IpcDataType.Float32),
            BuiltInType.Double => Fixed(IpcDataType.Float64),
            BuiltInType.DateTime => Fixed(IpcDataType.DateTime),
            BuiltInType.Guid => Text(GuidTextLength, GuidTextLength),

            // Text beyond the slot is cut at a character boundary by the segment writer.
            BuiltInType.String => Text(characters, characters),
            _ => new TagSlotShape(IpcDataType.Bytes, 1, characters, 0, false),
        };
    }

    private static NotSupportedException Unsupported(TagConfig tag, string protocol) =>
        new($"tag '{tag.Name}': {protocol} type {tag.DataType} is not supported");
}
