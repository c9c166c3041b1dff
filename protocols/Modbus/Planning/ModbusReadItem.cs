namespace EdgePartition.Modbus.Planning;

/// <summary>
/// Something to read: <paramref name="Count"/> registers (register tables) or bits (bit tables) from
/// <paramref name="Address"/>, a 0-based wire address.
/// </summary>
public readonly record struct ModbusReadItem(ModbusTable Table, ushort Address, int Count);

/// <summary>
/// One request of a plan: read <paramref name="Count"/> elements of <paramref name="Table"/> from
/// <paramref name="Start"/> into the plan buffer at <paramref name="BufferOffset"/>.
/// </summary>
public readonly record struct ModbusReadRequest(ModbusTable Table, ushort Start, int Count, int BufferOffset);
