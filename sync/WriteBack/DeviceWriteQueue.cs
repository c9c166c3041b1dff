using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.WriteBack;

/// <summary>
/// Sync's handle on one device's write queue, shared by everything sync writes to that device (the image write-back
/// and request withdrawal). Opened when first needed, looked for again on the attach interval while missing (the
/// collector creates it), and reopened whenever the device's connection generation moves, because a restarted
/// collector creates a new queue file.
/// </summary>
internal sealed class DeviceWriteQueue(DeviceSource source, string directory, string partition, SyncEngineOptions options, ILogger logger) : IDisposable
{
    private WriteQueue? _queue;
    private long _seenGeneration = -1;
    private long _nextOpenNs;
    private bool _missingLogged;

    public string Device => source.Name;

    /// <summary>Why the queue is not available (empty while it is).</summary>
    public string Problem { get; private set; } = "";

    /// <summary>The queue, or null while it cannot be opened (retried on the attach interval).</summary>
    public WriteQueue? Get(long nowNs)
    {
        if (source.ConnectionGeneration != _seenGeneration)
        {
            _seenGeneration = source.ConnectionGeneration;
            _queue?.Dispose();
            _queue = null;
            _nextOpenNs = nowNs;
        }

        return _queue ?? TryOpen(nowNs);
    }

    private WriteQueue? TryOpen(long nowNs)
    {
        if (nowNs < _nextOpenNs)
        {
            return null;
        }

        _nextOpenNs = nowNs + Nanoseconds.From(options.AttachRetryInterval);
        try
        {
            _queue = WriteQueue.Open(directory, partition, Device, logger);
            _missingLogged = false;
            Problem = "";
            return _queue;
        }
        catch (Exception e) when (e is IOException or SegmentFormatException)
        {
            if (!_missingLogged)
            {
                _missingLogged = true;
                Problem = $"{Device}: write queue not available: {e.Message}";
                Log.QueueUnavailable(logger, Device, e.Message);
            }

            return null;
        }
    }

    public void Dispose()
    {
        _queue?.Dispose();
        _queue = null;
    }
}
