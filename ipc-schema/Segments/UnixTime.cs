namespace EdgePartition.Ipc;

/// <summary>Wall time as ns since the Unix epoch (monotonic time is <see cref="MonotonicClock"/>).</summary>
public static class UnixTime
{
    public static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static long ToNs(DateTime utc) => (utc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static DateTime FromNs(long unixNs) => DateTime.UnixEpoch.AddTicks(unixNs / Nanoseconds.PerTick);
}
