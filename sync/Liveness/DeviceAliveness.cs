using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Liveness;

/// <summary>
/// Whether a device counts as alive for the image's alive flag: its collector runs and is connected to it, and, when
/// a device heartbeat is configured, that tag changed within its timeout. A stale device recovers by itself as soon
/// as it is connected and its heartbeat moves again.
/// </summary>
internal sealed class DeviceAliveness
{
    private readonly ILogger _logger;
    private readonly int _heartbeatHandle;
    private readonly long _heartbeatTimeoutNs;
    private byte[] _lastHeartbeat = [];
    private bool _hasHeartbeat;
    private long _lastHeartbeatChangeNs = long.MinValue;

    /// <param name="heartbeatHandle">The heartbeat tag's handle in <paramref name="source"/>, or -1 when none is watched.</param>
    public DeviceAliveness(DeviceSource source, int heartbeatHandle, TimeSpan heartbeatTimeout, ILogger logger)
    {
        Source = source;
        _heartbeatHandle = heartbeatHandle;
        _heartbeatTimeoutNs = Nanoseconds.From(heartbeatTimeout);
        _logger = logger;
    }

    public DeviceSource Source { get; }

    public string Name => Source.Name;

    public bool Alive { get; private set; }

    /// <summary>When the device stopped being alive (ns since the Unix epoch); 0 while alive.</summary>
    public long StaleSinceUnixNs { get; private set; }

    /// <summary>The quality of the device's share of the image: Good, or why not.</summary>
    public uint Quality { get; private set; } = IpcQuality.BadWaitingForInitialData;

    /// <summary>Re-judges the device; returns true when <see cref="Alive"/> changed.</summary>
    public bool Update(long nowNs, long nowUnixNs)
    {
        if (_lastHeartbeatChangeNs == long.MinValue)
        {
            // The first judgement: give the heartbeat one timeout from sync's start to show it moves.
            _lastHeartbeatChangeNs = nowNs;
            StaleSinceUnixNs = nowUnixNs;
        }

        var quality = Judge(nowNs);
        var alive = quality == IpcQuality.Good;
        Quality = quality;
        if (alive == Alive)
        {
            return false;
        }

        Alive = alive;
        StaleSinceUnixNs = alive ? 0 : nowUnixNs;
        if (alive)
        {
            Log.DeviceAlive(_logger, Name);
        }
        else
        {
            Log.DeviceStale(_logger, Name, IpcQuality.Describe(quality), Source.State, Source.Liveness);
        }

        return true;
    }

    private uint Judge(long nowNs)
    {
        if (!Source.HasSnapshot)
        {
            return IpcQuality.BadWaitingForInitialData;
        }

        if (!Source.IsConnected)
        {
            return IpcQuality.BadNotConnected;
        }

        if (_heartbeatHandle < 0)
        {
            return IpcQuality.Good;
        }

        WatchHeartbeat(nowNs);
        return nowNs - _lastHeartbeatChangeNs <= _heartbeatTimeoutNs ? IpcQuality.Good : IpcQuality.BadTimeout;
    }

    private void WatchHeartbeat(long nowNs)
    {
        var tag = Source.TagIndex(_heartbeatHandle);
        if (tag < 0 || !Source.Changed && _hasHeartbeat)
        {
            return;
        }

        var snapshot = Source.Snapshot;
        if (!IpcQuality.IsGood(snapshot.GetQuality(tag)))
        {
            return;
        }

        var value = snapshot.GetValueSpan(tag);
        if (_lastHeartbeat.Length != value.Length)
        {
            _lastHeartbeat = new byte[value.Length];
            _hasHeartbeat = false;
        }

        if (!_hasHeartbeat || !value.SequenceEqual(_lastHeartbeat))
        {
            if (_hasHeartbeat)
            {
                _lastHeartbeatChangeNs = nowNs;
            }

            value.CopyTo(_lastHeartbeat);
            _hasHeartbeat = true;
        }
    }
}
