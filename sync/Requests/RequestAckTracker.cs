using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using EdgePartition.Sync.Image;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Requests;

/// <summary>
/// Follows one request/ack pair through the values the merged image already carries between the PLCs: a rising
/// request starts it, the executor's state tag going true marks it executed, the requester's ack (seen low since the
/// request, so a stale ack from the last round does not count) marks it acknowledged and served; no ack within the
/// timeout marks it timed out. A request withdrawn before the executor acted returns to idle. A value that cannot be
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
    private bool _lastRequest;
    private bool _ackSeenLow;
    private long _requestedNs;

    public RequestAckTracker(RequestAckConfig config, DeviceSource requester, DeviceSource executor, ILogger logger)
    {
        _config = config;
        _requester = requester;
        _executor = executor;
        _requestHandle = requester.Register(config.RequestTag);
        _ackHandle = requester.Register(config.AckTag);
        _stateHandle = executor.Register(config.StateTag);
        _timeoutNs = config.Timeout.Ticks * 100;
        _logger = logger;
    }

    public string Name => _config.Name;

    public RequestAckState State { get; private set; }

    public long RequestedAtUnixNs { get; private set; }

    public long ExecutedAtUnixNs { get; private set; }

    public long AcknowledgedAtUnixNs { get; private set; }

    public ulong Served { get; private set; }

    public ulong TimedOut { get; private set; }

    /// <summary>Advances the lifecycle from the current snapshots; returns true when anything published changed.</summary>
    public bool Update(long nowNs, long nowUnixNs)
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
