namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// Real-time scheduling of a cycle thread, as PLC runtimes do it: SCHED_FIFO at <see cref="Priority"/> and pinned to
/// <see cref="CpuAffinity"/>. Both are optional; when the process lacks CAP_SYS_NICE (or RLIMIT_RTPRIO) the loop
/// logs a warning and runs at normal priority.
/// </summary>
public sealed record RealTimeOptions
{
    /// <summary>SCHED_FIFO priority 1..99, or null to keep the normal scheduler. Stay below the kernel's IRQ threads (50).</summary>
    public int? Priority { get; init; }

    /// <summary>CPU numbers the cycle thread may run on, or null for any CPU.</summary>
    public IReadOnlyList<int>? CpuAffinity { get; init; }
}
