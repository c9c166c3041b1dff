namespace EdgePartition.Collector.Workers;

/// <summary>Tuning of the device workers; the defaults suit production, tests shorten the back-off.</summary>
public sealed record DeviceWorkerOptions
{
    /// <summary>First reconnect delay; it doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Records of each device's write-request queue.</summary>
    public int WriteQueueCapacity { get; init; } = 64;

    /// <summary>Writes executed per cycle before the poll gets its turn (the rest run in the next, woken, cycle).</summary>
    public int MaxWritesPerCycle { get; init; } = 16;

    /// <summary>How often the loop's jitter statistics are copied into the segment status.</summary>
    public TimeSpan JitterRefresh { get; init; } = TimeSpan.FromSeconds(1);
}
