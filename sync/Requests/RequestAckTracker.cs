using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using EdgePartition.Sync.Image;
using EdgePartition.Sync.WriteBack;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Requests;

/// <summary>
/// Follows one request/ack pair through the values the merged image already carries between the PLCs: a rising
/// request starts it, the executor's state tag going true marks it executed, the requester's ack (seen low since the
/// request, so a stale ack from the last round does not count) marks it acknowledged and served; no ack within the
/// timeout marks it timed out. A request withdrawn before the executor acted returns to idle. A timed-out request
/// stays timed out until the next one, unless the pair withdraws on timeout: then sync clears the request (see
/// <see cref="RequestWithdrawer"/>) and the pair returns to idle once the request reads low. A value that cannot be
/// read (device not connected, bad quality) makes no transition, but the timeout still runs.
/// </summary>
internal sealed class RequestAckTracker
{
    private readonly RequestAckConfig _config;
    private readonly DeviceSource _requester;
    private readonly DeviceSource _executor;
    private readonly int _requestHandle;
    private readonly int _ackHandle;
    private readonly int _stateHandle;
    private readonly long _timeoutNs;
    private readonly ILogger _logger;
    private readonly RequestWithdrawer? _withdrawer;
    private bool _lastRequest;
    private bool _ackSeenLow;
    private long _requestedNs;

    /// <param name="requesterQueue">The requester's write queue; used only when the pair withdraws on timeout.</param>
    public RequestAckTracker(RequestAckConfig config, DeviceSource requester, DeviceSource executor, DeviceWriteQueue? requesterQueue, SyncEngineOptions options, ILogger logger)
    {
        _config = config;
        _requester = requester;
        _executor = executor;
        _requestHandle = requester.Register(config.RequestTag);
        _ackHandle = requester.Register(config.AckTag);
        _stateHandle = executor.Register(config.StateTag);
        _timeoutNs = Nanoseconds.From(config.Timeout);
        _logger = logger;
        if (config.WithdrawOnTimeout)
        {
            ArgumentNullException.ThrowIfNull(requesterQueue);
            _withdrawer = new RequestWithdrawer(config, requester, _requestHandle, requesterQueue, options, logger);
        }
    }

    public string Name => _config.Name;

    public RequestAckState State { get; private set; }

    public long RequestedAtUnixNs { get; private set; }

    public long ExecutedAtUnixNs { get; private set; }

    public long AcknowledgedAtUnixNs { get; private set; }

    public ulong Served { get; private set; }

    public ulong TimedOut { get; private set; }

    /// <summary>Timed-out requests sync cleared in the requester (0 unless the pair withdraws on timeout).</summary>
    public ulong Withdrawn => _withdrawer?.Withdrawn ?? 0;

    /// <summary>Advances the lifecycle from the current snapshots (and withdraws a timed-out request when configured); returns true when anything published changed.</summary>
    public bool Update(long nowNs, long nowUnixNs)
    {
        var changed = Track(nowNs, nowUnixNs);
        if (_withdrawer is not null)
        {
            changed |= _withdrawer.Run(State == RequestAckState.TimedOut, nowNs, nowUnixNs);
        }

        return changed;
    }

    private bool Track(long nowNs, long nowUnixNs)
    {
        if (!TryRead(_requester, _requestHandle, out var request) || !TryRead(_requester, _ackHandle, out var ack))
        {
            return CheckTimeout(nowNs);
        }

        var executing = TryRead(_executor, _stateHandle, out var state) && state;
        var rising = request && !_lastRequest;
        _lastRequest = request;
        if (rising)
        {
            State = RequestAckState.Requested;
            RequestedAtUnixNs = nowUnixNs;
            ExecutedAtUnixNs = 0;
            AcknowledgedAtUnixNs = 0;
            _requestedNs = nowNs;
            _ackSeenLow = !ack;
            Log.RequestRaised(_logger, Name, _config.RequesterDevice, _config.ExecutorDevice);
        }

        var before = State;
        if (State is RequestAckState.Requested or RequestAckState.Executed)
        {
            _ackSeenLow |= !ack;
            if (State == RequestAckState.Requested && executing)
            {
                State = RequestAckState.Executed;
                ExecutedAtUnixNs = nowUnixNs;
            }

            if (State == RequestAckState.Executed && ack && _ackSeenLow)
            {
                State = RequestAckState.Acknowledged;
                AcknowledgedAtUnixNs = nowUnixNs;
                Served++;
                Log.RequestServed(_logger, Name, (nowNs - _requestedNs) / 1_000_000.0);
            }
            else if (State == RequestAckState.Requested && !request)
            {
                // Withdrawn before the executor acted.
                State = RequestAckState.Idle;
            }
        }
        else if (State == RequestAckState.TimedOut && !request && _withdrawer is not null)
        {
            // Withdrawn after the timeout (by sync's clearing write, or by the requester first): the pair is free again.
            State = RequestAckState.Idle;
        }

        return CheckTimeout(nowNs) || rising || State != before;
    }

    private bool CheckTimeout(long nowNs)
    {
        if (State is not (RequestAckState.Requested or RequestAckState.Executed) || nowNs - _requestedNs <= _timeoutNs)
        {
            return false;
        }

        State = RequestAckState.TimedOut;
        TimedOut++;
        Log.RequestTimedOut(_logger, Name, _config.ExecutorDevice, _config.Timeout.TotalMilliseconds);
        _withdrawer?.Start();
        return true;
    }

    private static bool TryRead(DeviceSource source, int handle, out bool value)
    {
        value = false;
        if (!source.IsConnected)
        {
            return false;
        }

        var tag = source.TagIndex(handle);
        if (tag < 0 || !IpcQuality.IsGood(source.Snapshot.GetQuality(tag)))
        {
            return false;
        }

        value = RawValueEncoder.ReadFlag(source.Snapshot, tag);
        return true;
    }
}
