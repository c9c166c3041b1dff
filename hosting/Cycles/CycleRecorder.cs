namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// Collects a loop's counters and a sliding window of jitter and duration samples. The cycle thread records without
/// allocating (an uncontended lock and two array stores); readers pay for the sort when they ask for a snapshot.
/// </summary>
internal sealed class CycleRecorder(string name, TimeSpan period, int window)
{
    private readonly Lock _gate = new();
    private readonly long[] _jitter = new long[window];
    private readonly long[] _durations = new long[window];
    private int _jitterNext;
    private int _jitterCount;
    private int _durationNext;
    private int _durationCount;
    private long _cycles;
    private long _wokenCycles;
    private long _overruns;
    private long _missed;
    private long _lastDuration;

    public RealTimeState RealTime { get; set; }

    public void RecordStart(CycleTrigger trigger, long latenessNanoseconds, long missedDeadlines)
    {
        lock (_gate)
        {
            _cycles++;
            _missed += missedDeadlines;
            if (trigger == CycleTrigger.Woken)
            {
                _wokenCycles++;
                return;
            }

            _jitter[_jitterNext] = latenessNanoseconds;
            _jitterNext = (_jitterNext + 1) % _jitter.Length;
            _jitterCount = Math.Min(_jitterCount + 1, _jitter.Length);
        }
    }

    public void RecordDuration(long durationNanoseconds, bool overran)
    {
        lock (_gate)
        {
            _lastDuration = durationNanoseconds;
            _durations[_durationNext] = durationNanoseconds;
            _durationNext = (_durationNext + 1) % _durations.Length;
            _durationCount = Math.Min(_durationCount + 1, _durations.Length);
            if (overran)
            {
                _overruns++;
            }
        }
    }

    public CycleStatistics Snapshot()
    {
        long[] jitter;
        long maxDuration = 0;
        CycleStatistics counters;
        lock (_gate)
        {
            jitter = _jitter.AsSpan(0, _jitterCount).ToArray();
            foreach (long duration in _durations.AsSpan(0, _durationCount))
            {
                maxDuration = Math.Max(maxDuration, duration);
            }

            counters = new CycleStatistics
            {
                Name = name,
                Period = period,
                Cycles = _cycles,
                WokenCycles = _wokenCycles,
                Overruns = _overruns,
                MissedDeadlines = _missed,
                WindowSamples = _jitterCount,
                LastDuration = Nanoseconds.ToTimeSpan(_lastDuration),
                MaxDuration = Nanoseconds.ToTimeSpan(maxDuration),
                RealTime = RealTime,
            };
        }

        if (jitter.Length == 0)
        {
            return counters;
        }

        Array.Sort(jitter);
        return counters with
        {
            JitterP50 = Nanoseconds.ToTimeSpan(Percentile(jitter, 0.50)),
            JitterP99 = Nanoseconds.ToTimeSpan(Percentile(jitter, 0.99)),
            JitterMax = Nanoseconds.ToTimeSpan(jitter[^1]),
        };
    }

    /// <summary>Nearest-rank percentile of sorted samples: the smallest sample with at least p of them at or below it.</summary>
    internal static long Percentile(ReadOnlySpan<long> sorted, double p)
    {
        int rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
