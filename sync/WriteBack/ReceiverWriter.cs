using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using EdgePartition.Sync.Image;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.WriteBack;

/// <summary>
/// Writes the merged image into one device's receive tag through the device's write queue. It remembers the image as
/// sent and enqueues only the ranges that changed since (nearby ranges merged), and the whole image on the refresh
/// interval, after the device (re)connects or its collector restarts, and after any write failed or went unanswered.
/// A refused enqueue (full queue, lock timeout) is logged and counted and the same bytes are retried next cycle,
/// because the sent copy only advances for requests the queue accepted. Few requests are kept in flight: while the
/// collector catches up, changes coalesce instead of piling up in its queue.
/// </summary>
internal sealed class ReceiverWriter
{
    private const int MaxRangesPerCycle = 8;

    private readonly SyncReceiver _config;
    private readonly DeviceWriteQueue _queue;
    private readonly SyncEngineOptions _options;
    private readonly ILogger _logger;
    private readonly int _tagHandle;
    private readonly long _fullRefreshNs;
    private readonly byte[] _sent;
    private readonly PendingWrite[] _pending;
    private readonly ByteRange[] _ranges = new ByteRange[MaxRangesPerCycle];
    private int _pendingCount;
    private bool _sentValid;
    private RefreshReason _refresh = RefreshReason.Reconnect;
    private long _lastFullNs;
    private long _seenGeneration = -1;
    private long _refusedStreak;

    public ReceiverWriter(SyncReceiver config, DeviceSource source, DeviceWriteQueue queue, int imageSize, TimeSpan fullRefreshInterval, SyncEngineOptions options, ILogger logger)
    {
        _config = config;
        Source = source;
        _queue = queue;
        _options = options;
        _logger = logger;
        _tagHandle = source.Register(config.Tag);
        _fullRefreshNs = Nanoseconds.From(fullRefreshInterval);
        _sent = new byte[imageSize];
        _pending = new PendingWrite[Math.Max(1, options.MaxWritesInFlight)];
    }

    public DeviceSource Source { get; }

    public string Device => _config.Device;

    /// <summary>Write requests the queue accepted.</summary>
    public ulong Enqueued { get; private set; }

    public ulong BytesEnqueued { get; private set; }

    /// <summary>Writes the collector reported good.</summary>
    public ulong Confirmed { get; private set; }

    public ulong FullRefreshes { get; private set; }

    /// <summary>Enqueues refused (queue full or its lock not obtained); retried next cycle.</summary>
    public ulong Refused { get; private set; }

    /// <summary>Writes reported bad, expired, or never answered.</summary>
    public ulong Failed { get; private set; }

    public int InFlight => _pendingCount;

    /// <summary>The last problem, for the sync segment's status (empty when none).</summary>
    public string LastError { get; private set; } = "";

    /// <summary>Brings the device's receive tag up to <paramref name="image"/>: changed ranges, or all of it when due.</summary>
    public void Write(ReadOnlySpan<byte> image, long nowNs, long nowUnixNs)
    {
        if (!Source.IsConnected)
        {
            // Whatever is in flight may be lost; the reconnect refreshes everything.
            _sentValid = false;
            _refresh = RefreshReason.Reconnect;
            return;
        }

        if (Source.ConnectionGeneration != _seenGeneration)
        {
            _seenGeneration = Source.ConnectionGeneration;
            _sentValid = false;
            _refresh = RefreshReason.Reconnect;
            _pendingCount = 0;
        }

        CollectResults(nowNs);
        var tag = Source.TagIndex(_tagHandle);
        if (tag < 0)
        {
            return;
        }

        if (_queue.Get(nowNs) is not { } queue)
        {
            if (_queue.Problem.Length > 0)
            {
                LastError = _queue.Problem;
            }

            return;
        }

        if (_sentValid && nowNs - _lastFullNs >= _fullRefreshNs)
        {
            _refresh = RefreshReason.Interval;
            _sentValid = false;
        }

        if (!_sentValid)
        {
            WriteFull(queue, tag, image, nowNs, nowUnixNs);
            return;
        }

        if (_pendingCount == _pending.Length)
        {
            return;
        }

        var count = ChangedRanges.Find(_sent, image, _options.MergeGap, _ranges);
        for (var i = 0; i < count && _pendingCount < _pending.Length; i++)
        {
            var range = _ranges[i];
            if (!Enqueue(queue, tag, range.Offset, image.Slice(range.Offset, range.Length), nowNs, nowUnixNs))
            {
                return;
            }

            image.Slice(range.Offset, range.Length).CopyTo(_sent.AsSpan(range.Offset));
        }
    }

    private void WriteFull(WriteQueue queue, int tag, ReadOnlySpan<byte> image, long nowNs, long nowUnixNs)
    {
        if (!Enqueue(queue, tag, 0, image, nowNs, nowUnixNs))
        {
            return;
        }

        image.CopyTo(_sent);
        _sentValid = true;
        _lastFullNs = nowNs;
        FullRefreshes++;
        if (_refresh == RefreshReason.Interval)
        {
            Log.FullRefresh(_logger, Device, _refresh, image.Length);
        }
        else
        {
            Log.FullRefreshAfter(_logger, Device, _refresh, image.Length);
        }

        _refresh = RefreshReason.None;
    }

    private bool Enqueue(WriteQueue queue, int tag, int offset, ReadOnlySpan<byte> bytes, long nowNs, long nowUnixNs)
    {
        var deadline = nowUnixNs + Nanoseconds.From(_options.WriteDeadline);
        var result = queue.TryEnqueue(tag, offset, bytes, _options.Origin, _options.EnqueueTimeout, deadline);
        if (!result.IsEnqueued)
        {
            // A queue that stays full refuses every cycle: warn on the first refusal and every 100th after it.
            Refused++;
            LastError = result.Error;
            if (_refusedStreak++ % 100 == 0)
            {
                Log.EnqueueRefused(_logger, Device, result.Status, result.Error, _refusedStreak);
            }

            return false;
        }

        _refusedStreak = 0;
        Enqueued++;
        BytesEnqueued += (ulong)bytes.Length;
        if (_pendingCount < _pending.Length)
        {
            _pending[_pendingCount++] = new PendingWrite(result.LastRequestId, offset, bytes.Length, nowNs);
        }

        return true;
    }

    /// <summary>Matches in-flight requests with the results the collector published in its segment.</summary>
    private void CollectResults(long nowNs)
    {
        if (_pendingCount == 0 || !Source.HasSnapshot)
        {
            return;
        }

        var snapshot = Source.Snapshot;
        var timeoutNs = Nanoseconds.From(_options.WriteResultTimeout);
        for (var i = _pendingCount - 1; i >= 0; i--)
        {
            var pending = _pending[i];
            if (snapshot.TryGetWriteResult(pending.LastRequestId, out var result))
            {
                if (IpcQuality.IsGood(result.StatusCode))
                {
                    Confirmed++;
                }
                else
                {
                    MarkFailed(IpcQuality.Describe(result.StatusCode) + ": " + result.Error, pending);
                }
            }
            else if (nowNs - pending.EnqueuedNs > timeoutNs)
            {
                MarkFailed($"no result within {_options.WriteResultTimeout.TotalSeconds:0.#} s", pending);
            }
            else
            {
                continue;
            }

            _pending[i] = _pending[--_pendingCount];
        }
    }

    private void MarkFailed(string error, PendingWrite pending)
    {
        Failed++;
        LastError = $"{Device}: write of image bytes {pending.Offset}..{pending.Offset + pending.Length - 1} failed: {error}";
        Log.WriteFailed(_logger, Device, pending.Offset, pending.Length, error);
        _sentValid = false;
        _refresh = RefreshReason.WriteFailure;
    }
}
