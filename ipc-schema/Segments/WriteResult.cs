namespace EdgePartition.Ipc;

/// <summary>
/// The outcome of one write request, published by the collector in the device segment's results ring.
/// </summary>
/// <param name="RequestId">The id <see cref="WriteQueue.TryEnqueue"/> returned.</param>
/// <param name="StatusCode">OPC UA StatusCode style: <see cref="IpcQuality.Good"/> or a Bad code.</param>
/// <param name="TagIndex">The tag written.</param>
/// <param name="EnqueuedUnixNs">When the producer enqueued it.</param>
/// <param name="StartedUnixNs">When the collector started executing it.</param>
/// <param name="DoneUnixNs">When it finished.</param>
/// <param name="Error">Empty on success; otherwise why (at most 87 UTF-8 bytes are kept).</param>
public readonly record struct WriteResult(
    ulong RequestId,
    uint StatusCode,
    int TagIndex,
    long EnqueuedUnixNs,
    long StartedUnixNs,
    long DoneUnixNs,
    string Error);
