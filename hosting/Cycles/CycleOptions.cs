namespace EdgePartition.Hosting.Cycles;

/// <summary>How a <see cref="CycleLoop"/> runs.</summary>
public sealed record CycleOptions
{
    /// <summary>Name in logs, status and metrics, and of the thread ("sync", "collector-s7").</summary>
    public required string Name { get; init; }

    /// <summary>Time between scheduled cycle starts, on an absolute grid so the period never drifts.</summary>
    public required TimeSpan Period { get; init; }

    /// <summary>Optional SCHED_FIFO priority and CPU affinity for the cycle thread.</summary>
    public RealTimeOptions? RealTime { get; init; }

    /// <summary>How many recent scheduled cycles the jitter percentiles are computed over.</summary>
    public int JitterWindow { get; init; } = 1000;

    /// <summary>
    /// How long the loop may go without finishing a cycle before it counts as unhealthy (and systemd's watchdog
    /// stops being fed). Null means ten periods, at least five seconds, so a slow device timeout is not a hang.
    /// </summary>
    public TimeSpan? HealthTimeout { get; init; }

    internal TimeSpan EffectiveHealthTimeout => HealthTimeout ?? TimeSpan.FromTicks(Math.Max(Period.Ticks * 10, TimeSpan.FromSeconds(5).Ticks));

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        if (Period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, $"cycle '{Name}': the period must be positive");
        }

        if (JitterWindow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(JitterWindow), JitterWindow, $"cycle '{Name}': the jitter window needs at least one sample");
        }

        if (RealTime?.Priority is int priority && (priority < 1 || priority > 99))
        {
            throw new ArgumentOutOfRangeException(nameof(RealTime), priority, $"cycle '{Name}': SCHED_FIFO priority must be 1..99");
        }
    }
}
