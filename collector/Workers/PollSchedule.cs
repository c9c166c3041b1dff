using EdgePartition.Config;

namespace EdgePartition.Collector.Workers;

/// <summary>
/// When each poll group of a device is due. The device's cycle loop ticks at a base period (the greatest common
/// divisor of the group cycle times, at least 10 ms, at most 500 ms so heartbeats, reconnects and shutdown stay
/// prompt); each group keeps its own next-due time and is polled on the first tick at or after it.
/// </summary>
internal sealed class PollSchedule
{
    private const long MinPeriodMs = 10;
    private const long MaxPeriodMs = 500;
    private readonly long[] _cycleNs;
    private readonly long[] _nextDueNs;

    public PollSchedule(IReadOnlyList<PollGroupConfig> groups)
    {
        _cycleNs = new long[groups.Count];
        _nextDueNs = new long[groups.Count];
        long gcd = 0;
        long smallest = long.MaxValue;
        for (var g = 0; g < groups.Count; g++)
        {
            var ms = Math.Max(1, (long)groups[g].CycleTime.TotalMilliseconds);
            _cycleNs[g] = ms * 1_000_000;
            gcd = Gcd(gcd, ms);
            smallest = Math.Min(smallest, ms);
        }

        var periodMs = groups.Count == 0 ? MaxPeriodMs : gcd >= MinPeriodMs ? gcd : smallest;
        Period = TimeSpan.FromMilliseconds(Math.Clamp(periodMs, 1, MaxPeriodMs));
    }

    public TimeSpan Period { get; }

    public int GroupCount => _cycleNs.Length;

    /// <summary>Whether group <paramref name="group"/> is due at <paramref name="nowNs"/>; if so, books its next poll.</summary>
    public bool TakeDue(int group, long nowNs)
    {
        // Half a base period of slack: a tick that fires a little early still counts as the group's tick.
        var slack = Period.Ticks * 50;
        if (nowNs + slack < _nextDueNs[group])
        {
            return false;
        }

        var next = _nextDueNs[group] + _cycleNs[group];
        _nextDueNs[group] = next > nowNs ? next : nowNs + _cycleNs[group];
        return true;
    }

    /// <summary>Makes every group due at once (after a reconnect, so the segment is refreshed immediately).</summary>
    public void DueNow() => Array.Clear(_nextDueNs);

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
