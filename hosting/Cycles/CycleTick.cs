namespace EdgePartition.Hosting.Cycles;

/// <summary>One cycle as the work sees it. Times are <see cref="MonotonicClock"/> nanoseconds.</summary>
/// <param name="Sequence">Counts every cycle of the loop from 0, scheduled and woken alike.</param>
/// <param name="Trigger">Why this cycle runs.</param>
/// <param name="DeadlineNanoseconds">The scheduled start for a scheduled cycle; for a woken cycle the next deadline.</param>
/// <param name="StartNanoseconds">When the loop actually started the work.</param>
public readonly record struct CycleTick(long Sequence, CycleTrigger Trigger, long DeadlineNanoseconds, long StartNanoseconds)
{
    /// <summary>How late a scheduled cycle started (its jitter sample); zero for woken cycles.</summary>
    public TimeSpan Lateness => Trigger == CycleTrigger.Scheduled
        ? Nanoseconds.ToTimeSpan(StartNanoseconds - DeadlineNanoseconds)
        : TimeSpan.Zero;
}
