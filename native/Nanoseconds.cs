// The root namespace on purpose, like MonotonicClock: every project converts durations with this one helper.
namespace EdgePartition;

/// <summary>
/// Durations as the partition stores and waits on them: whole nanoseconds in a long (segment slots, monotonic
/// deadlines, futex timeouts). One TimeSpan tick is 100 ns; this is the one place that says so.
/// </summary>
public static class Nanoseconds
{
    public const long PerTick = 100;

    public static long From(TimeSpan span) => span.Ticks * PerTick;

    public static TimeSpan ToTimeSpan(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / PerTick);
}
