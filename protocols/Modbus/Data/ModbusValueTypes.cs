namespace EdgePartition.Modbus.Data;

/// <summary>The names of <see cref="ModbusValueType"/> in configuration files and how many registers each spans.</summary>
public static class ModbusValueTypes
{
    /// <summary>Parses a type name as written in configuration files (bit, int16 … float64, string).</summary>
    public static bool TryParse(string? name, out ModbusValueType type)
    {
        switch (name)
        {
            case "bit": type = ModbusValueType.Bit; return true;
            case "int16": type = ModbusValueType.Int16; return true;
            case "uint16": type = ModbusValueType.UInt16; return true;
            case "int32": type = ModbusValueType.Int32; return true;
            case "uint32": type = ModbusValueType.UInt32; return true;
            case "int64": type = ModbusValueType.Int64; return true;
            case "uint64": type = ModbusValueType.UInt64; return true;
            case "float32": type = ModbusValueType.Float32; return true;
            case "float64": type = ModbusValueType.Float64; return true;
            case "string": type = ModbusValueType.String; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Registers a value of <paramref name="type"/> occupies; strings need <paramref name="stringLength"/> bytes.</summary>
    public static int RegisterCount(ModbusValueType type, int stringLength = 0) => type switch
    {
        ModbusValueType.Bit or ModbusValueType.Int16 or ModbusValueType.UInt16 => 1,
        ModbusValueType.Int32 or ModbusValueType.UInt32 or ModbusValueType.Float32 => 2,
        ModbusValueType.Int64 or ModbusValueType.UInt64 or ModbusValueType.Float64 => 4,
        ModbusValueType.String => (stringLength + 1) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown Modbus value type"),
    };
}
