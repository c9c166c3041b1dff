namespace EdgePartition.Config;

/// <summary>Optional real-time scheduling of the cycle threads; null entries leave the thread alone.</summary>
public sealed class RealtimeConfig
{
    public ThreadSchedulingConfig? Collector { get; init; }

    public ThreadSchedulingConfig? Sync { get; init; }
}

/// <summary>SCHED_FIFO priority and CPU affinity of one kind of cycle thread.</summary>
public sealed class ThreadSchedulingConfig
{
    /// <summary>SCHED_FIFO priority 1..99; null keeps SCHED_OTHER.</summary>
    public int? Priority { get; init; }

    /// <summary>CPUs the thread may run on; empty for any.</summary>
    public IReadOnlyList<int> Cpus { get; init; } = [];
}
