using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Writes;

/// <summary>
/// The consumers' producer side of every device's write queue, opened on first use and re-opened when the device's
/// collector restarted (a new writer epoch: its queue file is a new one).
/// </summary>
internal sealed class DeviceWriteQueues(string directory, string partition, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, (WriteQueue Queue, ulong Epoch)> _queues = new(StringComparer.Ordinal);

    /// <summary>Enqueues under this object's lock (one producer handle per device); Timeout status when it cannot open.</summary>
    public EnqueueResult TryEnqueue(string device, ulong writerEpoch, int tagIndex, int byteOffset, ReadOnlySpan<byte> value, string origin,
        TimeSpan timeout, long deadlineUnixNs)
    {
        lock (_queues)
        {
            if (_queues.TryGetValue(device, out var open) && open.Epoch != writerEpoch)
            {
                open.Queue.Dispose();
                _queues.Remove(device);
            }

            if (!_queues.TryGetValue(device, out open))
            {
                try
                {
                    open = (WriteQueue.Open(directory, partition, device, logger), writerEpoch);
                    _queues[device] = open;
                }
                catch (Exception e) when (e is FileNotFoundException or IOException or SegmentFormatException or InvalidOperationException)
                {
                    return new EnqueueResult(EnqueueStatus.Timeout, 0, 0, $"write queue of {device} not available (is its collector running?): {e.Message}");
                }
            }

            return open.Queue.TryEnqueue(tagIndex, byteOffset, value, origin, timeout, deadlineUnixNs);
        }
    }

    public void Dispose()
    {
        lock (_queues)
        {
            foreach (var (queue, _) in _queues.Values)
            {
                queue.Dispose();
            }

            _queues.Clear();
        }
    }
}
