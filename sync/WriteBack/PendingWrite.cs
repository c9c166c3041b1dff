namespace EdgePartition.Sync.WriteBack;

/// <summary>A write request sync enqueued and whose result it has not seen yet.</summary>
internal readonly record struct PendingWrite(ulong LastRequestId, int Offset, int Length, long EnqueuedNs);
