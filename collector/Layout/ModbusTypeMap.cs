using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Modbus.Data;

namespace EdgePartition.Collector.Layout;

/// <summary>Modbus type names of the config to the protocol's value types and to segment types.</summary>
internal static class ModbusTypeMap
{
    public static (IpcDataType Type, int MaxLength) ToSegment(TagConfig tag) => ToProtocol(tag.DataType) switch
    {
        ModbusValueType.Bit => (IpcDataType.Bool, 0),
        ModbusValueType.Int16 => (IpcDataType.Int16, 0),
        ModbusValueType.UInt16 => (IpcDataType.UInt16, 0),
        ModbusValueType.Int32 => (IpcDataType.Int32, 0),
        ModbusValueType.UInt32 => (IpcDataType.UInt32, 0),
        ModbusValueType.Int64 => (IpcDataType.Int64, 0),
        ModbusValueType.UInt64 => (IpcDataType.UInt64, 0),
        ModbusValueType.Float32 => (IpcDataType.Float32, 0),
        ModbusValueType.Float64 => (IpcDataType.Float64, 0),

        // Latin-1 characters, up to 2 UTF-8 bytes each.
        ModbusValueType.String => (IpcDataType.String, 2 * (tag.StringLength ?? 2 * Math.Max(1, tag.ModbusCount))),
        _ => throw new NotSupportedException($"tag '{tag.Name}': Modbus type {tag.DataType} is not supported"),
    };

    public static ModbusValueType ToProtocol(string typeName) => typeName switch
    {
        "bit" => ModbusValueType.Bit,
        "int16" => ModbusValueType.Int16,
        "uint16" => ModbusValueType.UInt16,
        "int32" => ModbusValueType.Int32,
        "uint32" => ModbusValueType.UInt32,
        "int64" => ModbusValueType.Int64,
        "uint64" => ModbusValueType.UInt64,
        "float32" => ModbusValueType.Float32,
        "float64" => ModbusValueType.Float64,
        "string" => ModbusValueType.String,
        _ => throw new NotSupportedException($"Modbus type {typeName} is not supported"),
    };

    public static ModbusByteOrder ToProtocol(ByteOrder order) => order switch
    {
        ByteOrder.CDAB => ModbusByteOrder.CDAB,
        ByteOrder.BADC => ModbusByteOrder.BADC,
        ByteOrder.DCBA => ModbusByteOrder.DCBA,
        _ => ModbusByteOrder.ABCD,
    };
}
