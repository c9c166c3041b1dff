namespace EdgePartition.Modbus;

/// <summary>The four Modbus data tables (Modbus Application Protocol V1.1b §4.3).</summary>
public enum ModbusTable : byte
{
    /// <summary>Read/write bits, the 0xxxx notation.</summary>
    Coils = 0,

    /// <summary>Read-only bits, the 1xxxx notation.</summary>
    DiscreteInputs = 1,

    /// <summary>Read-only 16-bit registers, the 3xxxx notation.</summary>
    InputRegisters = 3,

    /// <summary>Read/write 16-bit registers, the 4xxxx notation.</summary>
    HoldingRegisters = 4,
}

/// <summary>Helpers that answer questions about a <see cref="ModbusTable"/>.</summary>
public static class ModbusTableExtensions
{
    /// <summary>True for the bit tables (coils, discrete inputs).</summary>
    public static bool IsBits(this ModbusTable table) => table is ModbusTable.Coils or ModbusTable.DiscreteInputs;

    /// <summary>True for the tables a client may write (coils, holding registers).</summary>
    public static bool IsWritable(this ModbusTable table) => table is ModbusTable.Coils or ModbusTable.HoldingRegisters;

    /// <summary>The function code that reads the table.</summary>
    public static ModbusFunction ReadFunction(this ModbusTable table) => table switch
    {
        ModbusTable.Coils => ModbusFunction.ReadCoils,
        ModbusTable.DiscreteInputs => ModbusFunction.ReadDiscreteInputs,
        ModbusTable.InputRegisters => ModbusFunction.ReadInputRegisters,
        ModbusTable.HoldingRegisters => ModbusFunction.ReadHoldingRegisters,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "unknown Modbus table"),
    };
}
