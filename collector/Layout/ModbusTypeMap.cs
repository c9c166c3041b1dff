using EdgePartition.Config;
using EdgePartition.Modbus.Data;

namespace EdgePartition.Collector.Layout;

/// <summary>Modbus type names of the config to the protocol's value types (the segment slot is config's TagSlotShape).</summary>
internal static class ModbusTypeMap
{
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
