namespace EdgePartition.Ipc;

/// <summary>Tuning of a <see cref="SegmentWriter"/>; the defaults suit a poll cycle of milliseconds to seconds.</summary>
public sealed record SegmentWriterOptions
{
    /// <summary>How often the writer promises to call <see cref="SegmentWriter.Heartbeat"/>; readers derive "hung" from it.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to retry the lease: readers probing liveness hold it for microseconds.</summary>
    public TimeSpan LeasePatience { get; init; } = TimeSpan.FromMilliseconds(500);
}
