namespace EdgePartition.Ipc;

/// <summary>The writer fields of a segment header, read without the seqlock (each is a single aligned word).</summary>
public readonly record struct WriterInfo(
    int Pid,
    ulong StartTicks,
    ulong Epoch,
    SegmentState State,
    long HeartbeatMonotonicNs,
    long HeartbeatUnixNs,
    uint HeartbeatIntervalMs,
    long WriterStartedUnixNs,
    ulong ChangeSequence,
    ulong CommitSequence,
    ulong RepairCount,
    long LastCommitUnixNs)
{
    /// <summary>Number of committed cycles.</summary>
    public ulong CommitCount => CommitSequence / 2;

    /// <summary>Time since the last heartbeat on this host's monotonic clock.</summary>
    public TimeSpan HeartbeatAge => Nanoseconds.ToTimeSpan(Math.Max(0, MonotonicClock.NowNanoseconds - HeartbeatMonotonicNs));
}
