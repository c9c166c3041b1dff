using EdgePartition.Native;

namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// CLOCK_MONOTONIC in nanoseconds: the clock the cycle deadlines are set on and that futex absolute timeouts use,
/// so a deadline computed here is exactly the one the kernel waits for.
/// </summary>
public static class MonotonicClock
{
    public static unsafe long NowNanoseconds
    {
        get
        {
            Interop.Libc.Timespec now;
            Interop.Libc.ClockGetTime(Interop.Libc.CLOCK_MONOTONIC, &now);
            return now.ToNanoseconds();
        }
    }

    public static TimeSpan ToTimeSpan(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);

    public static long ToNanoseconds(TimeSpan span) => span.Ticks * 100;
}
