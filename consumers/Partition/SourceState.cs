namespace EdgePartition.Consumers.Partition;

/// <summary>
/// The live state of one watched segment: its latest snapshot and what the consumers measured about it.
/// <see cref="Gate"/> orders publishing against the snapshots sent to websocket clients (see FeedHub).
/// </summary>
public sealed class SourceState(SourcePlan plan, int index)
{
    private SourceSnapshot _current = SourceSnapshot.Absent("not read yet");
    private TaskCompletionSource? _nextPublish;

    public SourcePlan Plan { get; } = plan;

    public string Name => Plan.Name;

    /// <summary>Position in <see cref="PartitionState.Sources"/>; also the source's slot in every feed client.</summary>
    public int Index { get; } = index;

    public Lock Gate { get; } = new();

    public SourceSnapshot Current
    {
        get => Volatile.Read(ref _current);
        set
        {
            Volatile.Write(ref _current, value);
            Interlocked.Exchange(ref _nextPublish, null)?.TrySetResult();
        }
    }

    /// <summary>
    /// Completes when the next snapshot is published (a write waits here for its result). Nothing is allocated per
    /// publish unless someone waits. Take the task before looking at <see cref="Current"/>, so no publish is missed.
    /// </summary>
    public Task NextPublish()
    {
        var next = Volatile.Read(ref _nextPublish);
        if (next is not null)
        {
            return next.Task;
        }

        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref _nextPublish, created, null) ?? created).Task;
    }

    /// <summary>Snapshots read (commits observed; several quick commits may be read as one).</summary>
    public long SnapshotsRead;

    /// <summary>Reads that failed (torn beyond the retry bound, or the file vanished mid-read).</summary>
    public long ReadFailures;

    /// <summary>Tag changes found by comparing consecutive snapshots.</summary>
    public long TagChanges;
}
