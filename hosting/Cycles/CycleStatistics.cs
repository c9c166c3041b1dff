namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// A snapshot of a cycle loop for status pages, metrics and STATUS= lines. Jitter is how late scheduled cycles
/// started against their absolute deadline, over the last <see cref="WindowSamples"/> scheduled cycles.
/// </summary>
public sealed record CycleStatistics
{
    public required string Name { get; init; }

    public required TimeSpan Period { get; init; }

    /// <summary>Every cycle run, scheduled and woken.</summary>
    public long Cycles { get; init; }

    /// <summary>Cycles started early by a wake-up rather than by the period.</summary>
    public long WokenCycles { get; init; }

    /// <summary>Cycles whose work took longer than the period.</summary>
    public long Overruns { get; init; }

    /// <summary>Scheduled cycles skipped because an earlier cycle ran past them (never run late in a burst).</summary>
    public long MissedDeadlines { get; init; }

    public int WindowSamples { get; init; }

    public TimeSpan JitterP50 { get; init; }

    public TimeSpan JitterP99 { get; init; }

    public TimeSpan JitterMax { get; init; }

    public TimeSpan LastDuration { get; init; }

    /// <summary>Longest cycle work over the window.</summary>
    public TimeSpan MaxDuration { get; init; }

    public RealTimeState RealTime { get; init; }

    /// <summary>Short form for STATUS= lines and logs: "sync 10ms p50 41µs p99 180µs max 0.9ms, 2 overruns".</summary>
    public string ToSummary()
        => $"{Name} {FormatDuration(Period)} jitter p50 {FormatDuration(JitterP50)} p99 {FormatDuration(JitterP99)} max {FormatDuration(JitterMax)}"
           + (Overruns > 0 ? $", {Overruns} overruns" : string.Empty)
           + (RealTime == RealTimeState.Applied ? ", SCHED_FIFO" : string.Empty);

    private static string FormatDuration(TimeSpan span) => span.TotalMilliseconds >= 1
        ? $"{span.TotalMilliseconds:0.###}ms"
        : $"{span.TotalMicroseconds:0}µs";
}
