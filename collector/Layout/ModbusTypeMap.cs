using EdgePartition.Config;
using EdgePartition.Modbus.Data;

namespace EdgePartition.Collector.Layout;

/// <summary>Config Modbus tags to the protocol's value types and byte orders (the segment slot is config's TagSlotShape).</summary>
internal static class ModbusTypeMap
{
    /// <summary>The protocol type of a config type name (the loader has validated the name).</summary>
    public static ModbusValueType ToProtocol(string typeName) =>
        ModbusValueTypes.TryParse(typeName, out var type) ? type : throw new NotSupportedException($"Modbus type {typeName} is not supported");

    public static ModbusByteOrder ToProtocol(ByteOrder order) => order switch
    {
        ByteOrder.CDAB => ModbusByteOrder.CDAB,
        ByteOrder.BADC => ModbusByteOrder.BADC,
        ByteOrder.DCBA => ModbusByteOrder.DCBA,
        _ => ModbusByteOrder.ABCD,
    };
}
