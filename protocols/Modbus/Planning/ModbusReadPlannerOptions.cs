namespace EdgePartition.Modbus.Planning;

/// <summary>How aggressively the planner merges: the gap it reads over, and the per-request size limits.</summary>
public sealed record ModbusReadPlannerOptions
{
    /// <summary>
    /// Unused registers the planner reads over to save a request. Reading a gap costs 2 bytes a register; a request
    /// costs a round trip, so a few dozen is cheap. Set 0 when the device refuses reads of unmapped addresses.
    /// </summary>
    public int MaxRegisterGap { get; init; } = 16;

    /// <summary>Unused bits read over to save a request.</summary>
    public int MaxBitGap { get; init; } = 128;

    /// <summary>Largest register read (protocol limit 125; lower for devices that need it).</summary>
    public int MaxRegistersPerRequest { get; init; } = ModbusLimits.MaxReadRegisters;

    /// <summary>Largest bit read (protocol limit 2000).</summary>
    public int MaxBitsPerRequest { get; init; } = ModbusLimits.MaxReadBits;

    /// <summary>Planner options taking the device's request limits from its client options.</summary>
    public static ModbusReadPlannerOptions For(Client.ModbusClientOptions client, int maxRegisterGap = 16, int maxBitGap = 128) => new()
    {
        MaxRegisterGap = maxRegisterGap,
        MaxBitGap = maxBitGap,
        MaxRegistersPerRequest = client.MaxReadRegisters,
        MaxBitsPerRequest = client.MaxReadBits,
    };
}
