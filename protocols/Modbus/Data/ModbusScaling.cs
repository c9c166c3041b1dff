namespace EdgePartition.Modbus.Data;

/// <summary>Linear scaling between a raw register value and an engineering value: eng = raw · Factor + Offset.</summary>
public readonly record struct ModbusScaling(double Factor, double Offset)
{
    /// <summary>No scaling.</summary>
    public static ModbusScaling Identity { get; } = new(1, 0);

    public bool IsIdentity => Factor == 1 && Offset == 0;

    public double ToEngineering(double raw) => raw * Factor + Offset;

    /// <summary>The raw value to write for an engineering value (a factor of 0 is refused at configuration time).</summary>
    public double ToRaw(double engineering) => (engineering - Offset) / Factor;
}
