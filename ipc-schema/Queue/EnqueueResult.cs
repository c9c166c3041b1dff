namespace EdgePartition.Ipc;

/// <summary>How an enqueue attempt ended. A full queue is refused, never silently dropped.</summary>
public enum EnqueueStatus
{
    Enqueued,

    /// <summary>Not enough free records; nothing was enqueued.</summary>
    QueueFull,

    /// <summary>The queue's mutex could not be taken within the timeout; nothing was enqueued.</summary>
    Timeout,
}

/// <summary>The result of <see cref="WriteQueue.TryEnqueue"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="RequestId">The id of the first record (values over 1 KiB take consecutive ids), 0 if not enqueued.</param>
/// <param name="RecordCount">Records used (value split in 1 KiB pieces).</param>
/// <param name="Error">Why it was refused, naming the queue.</param>
public readonly record struct EnqueueResult(EnqueueStatus Status, ulong RequestId, int RecordCount, string Error)
{
    public bool IsEnqueued => Status == EnqueueStatus.Enqueued;

    /// <summary>The id of the last record; the collector's result for it means the whole value was written.</summary>
    public ulong LastRequestId => RecordCount == 0 ? 0 : RequestId + (ulong)RecordCount - 1;
}
