using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// The segment slot a configured tag gets, following the collector's rules (ipc-schema/README.md, collector
/// layout): S7 BYTE arrays become one Bytes block, strings UTF-8 text, scaled numbers Float64. The endpoints work from
/// the config alone so the address map exists before any segment does; a segment that disagrees is caught at attach.
/// </summary>
internal static class SegmentTagTypes
{
    /// <summary>The slot shape, or null for a type the endpoints cannot expose (variable-size OPC UA values).</summary>
    public static SegmentTagShape? Of(Protocol protocol, TagConfig tag)
    {
        var shape = protocol switch
        {
            Protocol.S7 => OfS7(tag),
            Protocol.Modbus => OfModbus(tag),
            Protocol.Sim => OfSimple(tag.DataType),
            Protocol.OpcUa => OfOpcUa(tag.DataType),
            _ => null,
        };

        if (shape is not { } s || s.Type is IpcDataType.Bytes)
        {
            return shape;
        }

        bool scaled = (tag.Scale != 1 || tag.ScaleOffset != 0) && s.Type is >= IpcDataType.Int8 and <= IpcDataType.Float64;
        return new SegmentTagShape(scaled ? IpcDataType.Float64 : s.Type, Math.Max(1, tag.ArrayLength), s.MaxLength, s.Characters);
    }

    private static SegmentTagShape? OfS7(TagConfig tag)
    {
        if (tag.DataType == "BYTE" && tag.ArrayLength > 1)
        {
            return new SegmentTagShape(IpcDataType.Bytes, 1, tag.ArrayLength, 0);
        }

        int characters = tag.StringLength ?? 254;
        return tag.DataType switch
        {
            "BOOL" => Fixed(IpcDataType.Bool),
            "BYTE" or "USINT" or "CHAR" => Fixed(IpcDataType.UInt8),
            "SINT" => Fixed(IpcDataType.Int8),
            "INT" => Fixed(IpcDataType.Int16),
            "WORD" or "UINT" or "WCHAR" => Fixed(IpcDataType.UInt16),
            "DINT" => Fixed(IpcDataType.Int32),
            "DWORD" or "UDINT" => Fixed(IpcDataType.UInt32),
            "LINT" => Fixed(IpcDataType.Int64),
            "LWORD" or "ULINT" => Fixed(IpcDataType.UInt64),
            "REAL" => Fixed(IpcDataType.Float32),
            "LREAL" => Fixed(IpcDataType.Float64),
            "TIME" or "LTIME" or "S5TIME" or "TIME_OF_DAY" => Fixed(IpcDataType.Duration),
            "DATE" or "DATE_AND_TIME" or "DTL" => Fixed(IpcDataType.DateTime),
            "STRING" => new SegmentTagShape(IpcDataType.String, 1, 2 * characters, characters),
            "WSTRING" => new SegmentTagShape(IpcDataType.String, 1, 3 * characters, characters),
            _ => null,
        };
    }

    private static SegmentTagShape? OfModbus(TagConfig tag)
    {
        if (tag.DataType == "string")
        {
            int characters = tag.StringLength ?? 2 * Math.Max(1, tag.ModbusCount);
            return new SegmentTagShape(IpcDataType.String, 1, 2 * characters, characters);
        }

        return tag.DataType == "bit" ? Fixed(IpcDataType.Bool) : OfSimple(tag.DataType);
    }

    private static SegmentTagShape? OfSimple(string type) => type switch
    {
        "bool" => Fixed(IpcDataType.Bool),
        "int16" => Fixed(IpcDataType.Int16),
        "uint16" => Fixed(IpcDataType.UInt16),
        "int32" => Fixed(IpcDataType.Int32),
        "uint32" => Fixed(IpcDataType.UInt32),
        "int64" => Fixed(IpcDataType.Int64),
        "uint64" => Fixed(IpcDataType.UInt64),
        "float32" => Fixed(IpcDataType.Float32),
        "float64" => Fixed(IpcDataType.Float64),
        _ => null,
    };

    private static SegmentTagShape? OfOpcUa(string type) => type switch
    {
        "Boolean" => Fixed(IpcDataType.Bool),
        "SByte" => Fixed(IpcDataType.Int8),
        "Byte" => Fixed(IpcDataType.UInt8),
        "Int16" => Fixed(IpcDataType.Int16),
        "UInt16" => Fixed(IpcDataType.UInt16),
        "Int32" => Fixed(IpcDataType.Int32),
        "UInt32" => Fixed(IpcDataType.UInt32),
        "Int64" => Fixed(IpcDataType.Int64),
        "UInt64" => Fixed(IpcDataType.UInt64),
        "Float" => Fixed(IpcDataType.Float32),
        "Double" => Fixed(IpcDataType.Float64),
        "DateTime" => Fixed(IpcDataType.DateTime),
        _ => null,
    };

    private static SegmentTagShape Fixed(IpcDataType type) => new(type, 1, 0, 0);
}

/// <summary>A segment slot: type, elements, bytes per String/Bytes element, and characters of a string.</summary>
internal readonly record struct SegmentTagShape(IpcDataType Type, int ElementCount, int MaxLength, int Characters);
