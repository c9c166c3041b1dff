using System.Diagnostics;

namespace EdgePartition.Ipc;

/// <summary>Clock helpers: wall time as ns since the Unix epoch, monotonic time as CLOCK_MONOTONIC ns.</summary>
public static class UnixTime
{
    public static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static long ToNs(DateTime utc) => (utc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static DateTime FromNs(long unixNs) => DateTime.UnixEpoch.AddTicks(unixNs / 100);

    /// <summary>CLOCK_MONOTONIC in ns, the same clock as Python's time.monotonic_ns() and C's clock_gettime.</summary>
    public static long MonotonicNs()
    {
        // On Linux Stopwatch reads CLOCK_MONOTONIC; convert in case the frequency is not 1 GHz.
        var ticks = Stopwatch.GetTimestamp();
        return Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * (1e9 / Stopwatch.Frequency));
    }
}
