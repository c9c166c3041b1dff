using EdgePartition.Hosting.Cycles;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Workers;

/// <summary>
/// Wakes a device's cycle loop when a producer posts the write queue's ready semaphore, so a write request runs
/// at once instead of waiting for the next poll. Waits are sliced so a stop request is seen within a slice.
/// </summary>
internal sealed class WriteQueueWakeSource(WriteQueue queue) : ICycleWakeSource
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(200);

    public bool WaitForWake(TimeSpan timeout) => queue.WaitForRequest(timeout < Slice ? timeout : Slice);
}
