using EdgePartition.Native;

// The root namespace on purpose: every EdgePartition project reads this one clock without another using.
namespace EdgePartition;

/// <summary>
/// CLOCK_MONOTONIC in nanoseconds: the clock the cycle deadlines are set on and that futex absolute timeouts use,
/// so a deadline computed here is exactly the one the kernel waits for. The same clock as Python's
/// time.monotonic_ns() and C's clock_gettime(CLOCK_MONOTONIC), so segment heartbeats compare across languages.
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
}
