namespace EdgePartition.Config;

/// <summary>How a simulated value moves.</summary>
public enum SimGenerator
{
    /// <summary>+1 every period, wrapping from Max back to Min.</summary>
    Counter,

    /// <summary>A sine between Min and Max over one period.</summary>
    Sine,

    /// <summary>Uniform between Min and Max, a new value every period.</summary>
    Random,

    /// <summary>Always Value.</summary>
    Constant,

    /// <summary>Min for half a period, then Max.</summary>
    Square,
}

/// <summary>The generator of a simulated tag.</summary>
public sealed class SimulationConfig
{
    public required SimGenerator Generator { get; init; }

    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(1);

    public double Min { get; init; }

    public double Max { get; init; } = 100;

    /// <summary>The value of a <see cref="SimGenerator.Constant"/> generator.</summary>
    public double Value { get; init; }
}
