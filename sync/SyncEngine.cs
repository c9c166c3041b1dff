using EdgePartition.Config;
using EdgePartition.Hosting.Cycles;
using EdgePartition.Ipc;
using EdgePartition.Sync.Devices;
using EdgePartition.Sync.Image;
using EdgePartition.Sync.Liveness;
using EdgePartition.Sync.Requests;
using EdgePartition.Sync.Segment;
using EdgePartition.Sync.Wake;
using EdgePartition.Sync.WriteBack;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync;

/// <summary>
/// One partition's sync, fed by segments: each cycle it snapshots every device segment lock-free, judges which
/// devices are alive, builds the merged image (contributions, server heartbeat, alive flags), follows the request/ack
/// pairs, writes the changed ranges back to every receiver and publishes everything in the sync segment. Runs on one
/// thread (the cycle loop's); <see cref="RunCycle"/> takes the time so tests can drive it.
/// </summary>
public sealed class SyncEngine : IDisposable
{
    private readonly SyncConfig _sync;
    private readonly ILogger _logger;
    private readonly DeviceSource[] _sources;
    private readonly DeviceAliveness[] _devices;
    private readonly int[] _aliveFlagDevices;
    private readonly bool[] _contributes;
    private readonly RequestAckTracker[] _requests;
    private readonly ReceiverWriter[] _receivers;
    private readonly DeviceWriteQueue?[] _queues;
    private readonly ulong[] _reportedProblems;
    private readonly MergedImage _image;
    private readonly SyncSegment _segment;
    private readonly SegmentChangeWakeSource _wake;
    private readonly int _heartbeatModulo;
    private long _cycleTimeTotalNs;
    private bool _published;

    public SyncEngine(PartitionConfig config, ILogger logger, SyncEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        _sync = config.Sync ?? throw new ArgumentException($"partition '{config.Name}' has no sync rules", nameof(config));
        _logger = logger;
        options ??= new SyncEngineOptions();
        var directory = options.SegmentDirectory ?? config.SegmentDirectory;

        var devices = config.Devices;
        _sources = new DeviceSource[devices.Count];
        for (var i = 0; i < devices.Count; i++)
        {
            _sources[i] = new DeviceSource(directory, config.Name, devices[i].Name, options, logger);
        }

        var contributions = new BoundContribution[_sync.Contributions.Count];
        _contributes = new bool[devices.Count];
        for (var i = 0; i < contributions.Length; i++)
        {
            var c = _sync.Contributions[i];
            var index = DeviceIndex(config, c.Device);
            _contributes[index] = true;
            contributions[i] = new BoundContribution(c, _sources[index], _sources[index].Register(c.Tag), devices[index].GetTag(c.Tag), devices[index].Protocol);
        }

        _devices = new DeviceAliveness[devices.Count];
        for (var i = 0; i < devices.Count; i++)
        {
            var heartbeat = FindHeartbeat(_sync, devices[i].Name);
            var handle = heartbeat is null ? -1 : _sources[i].Register(heartbeat.Tag);
            _devices[i] = new DeviceAliveness(_sources[i], handle, heartbeat?.Timeout ?? TimeSpan.Zero, logger);
        }

        var aliveFlagDevices = _sync.AliveFlags?.Devices ?? [];
        _aliveFlagDevices = new int[aliveFlagDevices.Count];
        for (var i = 0; i < _aliveFlagDevices.Length; i++)
        {
            _aliveFlagDevices[i] = DeviceIndex(config, aliveFlagDevices[i]);
        }

        // One write queue handle per device that sync writes to, shared by its write-back and request withdrawal.
        _queues = new DeviceWriteQueue?[devices.Count];
        DeviceWriteQueue QueueOf(int device) => _queues[device] ??= new DeviceWriteQueue(_sources[device], directory, config.Name, options, logger);

        _requests = new RequestAckTracker[_sync.RequestAcks.Count];
        for (var i = 0; i < _requests.Length; i++)
        {
            var pair = _sync.RequestAcks[i];
            var requester = DeviceIndex(config, pair.RequesterDevice);
            var requesterQueue = pair.WithdrawOnTimeout ? QueueOf(requester) : null;
            _requests[i] = new RequestAckTracker(pair, _sources[requester], _sources[DeviceIndex(config, pair.ExecutorDevice)], requesterQueue, options, logger);
        }

        _receivers = new ReceiverWriter[_sync.Receivers.Count];
        for (var i = 0; i < _receivers.Length; i++)
        {
            var receiver = _sync.Receivers[i];
            var device = DeviceIndex(config, receiver.Device);
            _receivers[i] = new ReceiverWriter(receiver, _sources[device], QueueOf(device), _sync.ImageSize, _sync.FullRefreshInterval, options, logger);
        }

        _reportedProblems = new ulong[_receivers.Length];
        _image = new MergedImage(_sync, contributions, logger);
        _heartbeatModulo = Math.Max(1, _sync.ServerHeartbeat?.Modulo ?? 256);
        _segment = new SyncSegment(directory, config.Name, _devices, _requests, _receivers, _sync.ImageSize, logger);
        _wake = new SegmentChangeWakeSource(_sources, logger);
        Log.EngineStarted(logger, config.Name, devices.Count, _sync.ImageSize, _receivers.Length, _requests.Length, _segment.Path);
    }

    /// <summary>Pass to the cycle loop: wakes a cycle as soon as any device segment commits.</summary>
    public ICycleWakeSource WakeSource => _wake;

    /// <summary>Server heartbeat: +1 every scheduled cycle (the image carries it modulo the configured range).</summary>
    public ulong ServerHeartbeat { get; private set; }

    public ulong Cycles { get; private set; }

    public ulong WokenCycles { get; private set; }

    /// <summary>The merged image as built by the last cycle (a live view; copy it to keep it).</summary>
    public ReadOnlySpan<byte> Image => _image.Span;

    public string SegmentPath => _segment.Path;

    /// <summary>Devices alive now / all devices.</summary>
    public int AliveDevices
    {
        get
        {
            var alive = 0;
            foreach (var device in _devices)
            {
                alive += device.Alive ? 1 : 0;
            }

            return alive;
        }
    }

    public int DeviceCount => _devices.Length;

    /// <summary>
    /// One sync cycle. <paramref name="scheduled"/> cycles advance the server heartbeat; woken ones (a device
    /// committed) only carry changes, so sync's own writes, answered by commits, never feed a loop of cycles.
    /// </summary>
    public void RunCycle(bool scheduled, long nowNs, long nowUnixNs)
    {
        var started = MonotonicClock.NowNanoseconds;
        var changed = !_published;
        foreach (var source in _sources)
        {
            source.Refresh(nowNs);
            changed |= source.Changed;
        }

        var imageGood = true;
        for (var i = 0; i < _devices.Length; i++)
        {
            changed |= _devices[i].Update(nowNs, nowUnixNs);
            imageGood &= !_contributes[i] || _devices[i].Alive;
        }

        _image.CopyContributions();
        if (scheduled)
        {
            ServerHeartbeat++;
            _image.WriteServerHeartbeat((int)(ServerHeartbeat % (ulong)_heartbeatModulo));
        }

        for (var i = 0; i < _aliveFlagDevices.Length; i++)
        {
            _image.WriteAliveFlag(i, _devices[_aliveFlagDevices[i]].Alive);
        }

        foreach (var request in _requests)
        {
            changed |= request.Update(nowNs, nowUnixNs);
        }

        foreach (var receiver in _receivers)
        {
            receiver.Write(_image.Span, nowNs, nowUnixNs);
        }

        Cycles++;
        WokenCycles += scheduled ? 0UL : 1UL;
        var elapsed = MonotonicClock.NowNanoseconds - started;
        _cycleTimeTotalNs += elapsed;
        if (scheduled || changed)
        {
            Publish(imageGood, nowUnixNs, elapsed);
        }

        if (scheduled)
        {
            _segment.Heartbeat();
        }
    }

    /// <summary>Copies the cycle loop's jitter figures into the segment status (call about once a second).</summary>
    public void UpdateLoopStatistics(CycleStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ref var status = ref _segment.Status;
        status.JitterP50Ns = Nanoseconds.From(statistics.JitterP50);
        status.JitterP99Ns = Nanoseconds.From(statistics.JitterP99);
        status.JitterMaxNs = Nanoseconds.From(statistics.JitterMax);
    }

    private void Publish(bool imageGood, long nowUnixNs, long cycleNs)
    {
        _published = true;
        _segment.PublishImage(_image.Span, ServerHeartbeat, imageGood ? IpcQuality.Good : IpcQuality.UncertainLastUsableValue, nowUnixNs);
        for (var i = 0; i < _devices.Length; i++)
        {
            _segment.PublishDevice(i, _devices[i], nowUnixNs);
        }

        for (var i = 0; i < _requests.Length; i++)
        {
            _segment.PublishRequest(i, _requests[i], nowUnixNs);
        }

        ref var status = ref _segment.Status;
        ulong reads = 0, readsFailed = 0, writesOk = 0, writesFailed = 0;
        uint inFlight = 0;
        foreach (var source in _sources)
        {
            reads += source.SnapshotsRead;
            readsFailed += source.SnapshotsFailed;
        }

        for (var i = 0; i < _receivers.Length; i++)
        {
            var receiver = _receivers[i];
            _segment.PublishReceiver(i, receiver, nowUnixNs);
            writesOk += receiver.Confirmed;
            writesFailed += receiver.Failed + receiver.Refused;
            inFlight += (uint)receiver.InFlight;
            var problems = receiver.Failed + receiver.Refused;
            if (problems != _reportedProblems[i])
            {
                // A new failure or refusal on this receiver: its message becomes the segment's last error.
                _reportedProblems[i] = problems;
                status.SetLastError(receiver.LastError);
            }
        }

        status.SetState(ConnectionState.Connected, nowUnixNs);
        status.ReadsOk = reads;
        status.ReadsFailed = readsFailed;
        status.WritesOk = writesOk;
        status.WritesFailed = writesFailed;
        status.WriteQueueDepth = inFlight;
        status.CycleCount = Cycles;
        status.CycleTimeLastNs = cycleNs;
        status.CycleTimeMaxNs = Math.Max(status.CycleTimeMaxNs, cycleNs);
        status.CycleTimeAvgNs = _cycleTimeTotalNs / (long)Math.Max(1UL, Cycles);
        status.LastCycleUnixNs = nowUnixNs;
        _segment.Commit();
    }

    private static int DeviceIndex(PartitionConfig config, string device)
    {
        var devices = config.Devices;
        for (var i = 0; i < devices.Count; i++)
        {
            if (devices[i].Name == device)
            {
                return i;
            }
        }

        throw new ArgumentException($"partition '{config.Name}' has no device '{device}' (named in its sync rules)", nameof(config));
    }

    private static DeviceHeartbeatConfig? FindHeartbeat(SyncConfig sync, string device)
    {
        foreach (var heartbeat in sync.DeviceHeartbeats)
        {
            if (heartbeat.Device == device)
            {
                return heartbeat;
            }
        }

        return null;
    }

    /// <summary>Publishes state Stopped and releases everything; call after the cycle loop stopped.</summary>
    public void Dispose()
    {
        foreach (var queue in _queues)
        {
            queue?.Dispose();
        }

        foreach (var source in _sources)
        {
            source.Dispose();
        }

        _segment.Dispose();
        Log.EngineStopped(_logger, Cycles, ServerHeartbeat);
    }
}
