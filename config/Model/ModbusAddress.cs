namespace EdgePartition.Config;

/// <summary>The four Modbus data tables.</summary>
public enum ModbusTable
{
    /// <summary>Coils (0xxxx), read/write bits.</summary>
    Coil,

    /// <summary>Discrete inputs (1xxxx), read-only bits.</summary>
    DiscreteInput,

    /// <summary>Input registers (3xxxx), read-only 16-bit words.</summary>
    InputRegister,

    /// <summary>Holding registers (4xxxx), read/write 16-bit words.</summary>
    HoldingRegister,
}

/// <summary>A Modbus address resolved to the wire: table, 0-based offset and how many bits or registers the tag spans.</summary>
/// <param name="Table">Data table.</param>
/// <param name="Offset">0-based address sent on the wire.</param>
/// <param name="Count">Coils/inputs for bit tables, registers for register tables.</param>
public readonly record struct ModbusAddress(ModbusTable Table, int Offset, int Count)
{
    public bool IsBitTable => Table is ModbusTable.Coil or ModbusTable.DiscreteInput;

    /// <summary>First address after the tag.</summary>
    public int End => Offset + Count;
}
