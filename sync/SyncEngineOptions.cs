namespace EdgePartition.Sync;

/// <summary>Tuning of the sync engine beyond the partition's sync rules; the defaults suit S7 PLCs on a LAN.</summary>
public sealed record SyncEngineOptions
{
    /// <summary>Directory of the segments; null takes the partition's.</summary>
    public string? SegmentDirectory { get; init; }

    /// <summary>Changed ranges closer than this many equal bytes are written as one request.</summary>
    public int MergeGap { get; init; } = 16;

    /// <summary>Write requests per receiver awaiting their result; beyond it changes coalesce for the next cycle.</summary>
    public int MaxWritesInFlight { get; init; } = 4;

    /// <summary>Longest wait for a write queue's lock; a refused enqueue is retried next cycle.</summary>
    public TimeSpan EnqueueTimeout { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A write not executed by then is dropped by the collector (an old image must not land late).</summary>
    public TimeSpan WriteDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A write whose result has not appeared by then counts as failed and triggers a full refresh.</summary>
    public TimeSpan WriteResultTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each device segment's writer is judged (lease, pid, heartbeat: a few system calls).</summary>
    public TimeSpan LivenessCheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a missing device segment or write queue is looked for again.</summary>
    public TimeSpan AttachRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seqlock copy attempts before a snapshot is given up for this cycle.</summary>
    public int SnapshotAttempts { get; init; } = 1000;

    /// <summary>Origin recorded in write requests.</summary>
    public string Origin { get; init; } = "sync";
}
