using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using EdgePartition.Sync.WriteBack;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Requests;

/// <summary>
/// Withdraws a timed-out request of a pair with <see cref="RequestAckConfig.WithdrawOnTimeout"/>: writes 0 to the
/// requester's request tag through the requester's write queue (the write-back's path), so the requester sees its
/// request dropped and may ask again. One write per timed-out request, never more than one in flight. A refused
/// enqueue (queue full, lock timeout) is tried again next cycle; a write the collector reports bad, or never answers,
/// is tried again after the attach interval; both are logged, never thrown. A withdrawal counts once its write is
/// confirmed.
/// </summary>
internal sealed class RequestWithdrawer(RequestAckConfig config, DeviceSource requester, int requestHandle, DeviceWriteQueue queue, SyncEngineOptions options, ILogger logger)
{
    private byte[] _zeros = new byte[8];
    private bool _due;
    private ulong _inFlightId;
    private long _enqueuedNs;
    private long _nextAttemptNs;
    private long _attempts;

    /// <summary>Timed-out requests whose clearing the requester's collector confirmed.</summary>
    public ulong Withdrawn { get; private set; }

    /// <summary>Asks for the request to be cleared (the pair just timed out).</summary>
    public void Start()
    {
        _due = true;
        _attempts = 0;
        _nextAttemptNs = 0;
    }

    /// <summary>
    /// Follows the write in flight and enqueues the clearing write when due; true when <see cref="Withdrawn"/> moved.
    /// <paramref name="stillTimedOut"/> false (the request went low, or a new round started) drops a clearing write
    /// not yet enqueued, so a late retry never clears a newer request; a write in flight is still followed.
    /// </summary>
    public bool Run(bool stillTimedOut, long nowNs, long nowUnixNs)
    {
        var confirmed = CollectResult(nowNs);
        _due &= stillTimedOut;
        if (!_due || _inFlightId != 0 || nowNs < _nextAttemptNs || !requester.IsConnected)
        {
            return confirmed;
        }

        var tag = requester.TagIndex(requestHandle);
        if (tag < 0 || queue.Get(nowNs) is not { } writeQueue)
        {
            return confirmed;
        }

        var deadline = nowUnixNs + Nanoseconds.From(options.WriteDeadline);
        var result = writeQueue.TryEnqueue(tag, 0, Zeros(tag), options.Origin, options.EnqueueTimeout, deadline);
        _attempts++;
        if (!result.IsEnqueued)
        {
            // Retried next cycle; a queue that stays full is reported on the first refusal and every 100th after it.
            if (_attempts % 100 == 1)
            {
                Log.RequestWithdrawalRetry(logger, config.Name, config.RequesterDevice, config.RequestTag, result.Error, _attempts);
            }

            return confirmed;
        }

        _due = false;
        _inFlightId = result.LastRequestId;
        _enqueuedNs = nowNs;
        return confirmed;
    }

    private bool CollectResult(long nowNs)
    {
        if (_inFlightId == 0 || !requester.HasSnapshot)
        {
            return false;
        }

        string error;
        if (requester.Snapshot.TryGetWriteResult(_inFlightId, out var result))
        {
            if (IpcQuality.IsGood(result.StatusCode))
            {
                _inFlightId = 0;
                Withdrawn++;
                Log.RequestWithdrawn(logger, config.Name, config.RequesterDevice, config.RequestTag);
                return true;
            }

            error = IpcQuality.Describe(result.StatusCode) + ": " + result.Error;
        }
        else if (nowNs - _enqueuedNs > Nanoseconds.From(options.WriteResultTimeout))
        {
            error = $"no result within {options.WriteResultTimeout.TotalSeconds:0.#} s";
        }
        else
        {
            return false;
        }

        // Not cleared: try again, but not faster than the attach interval, so a PLC refusing the write is not hammered.
        _inFlightId = 0;
        _due = true;
        _nextAttemptNs = nowNs + Nanoseconds.From(options.AttachRetryInterval);
        Log.RequestWithdrawalRetry(logger, config.Name, config.RequesterDevice, config.RequestTag, error, _attempts);
        return false;
    }

    /// <summary>
    /// The value that reads as "no request" (see RawValueEncoder.ReadFlag): a zero first element, or for a byte
    /// block or text as many zero bytes as it holds now.
    /// </summary>
    private ReadOnlySpan<byte> Zeros(int tag)
    {
        var snapshot = requester.Snapshot;
        var length = snapshot.Layout.Tag(tag).DataType is IpcDataType.Bytes or IpcDataType.String
            ? Math.Max(1, snapshot.GetBytes(tag).Length)
            : snapshot.Layout.Slot(tag).ElementSize;
        if (_zeros.Length < length)
        {
            _zeros = new byte[length];
        }

        return _zeros.AsSpan(0, length);
    }
}
