using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Devices;

/// <summary>
/// Sync's lock-free view of one device segment: attaches when the collector has created it, re-attaches when a new
/// layout supersedes it, takes a snapshot whenever the change sequence moved, and judges the writer's liveness on
/// an interval (a few system calls, so not every cycle). Tags are registered by name up front and resolved to
/// indices on every attach, so the cycle works with indices only.
/// </summary>
internal sealed class DeviceSource : IDisposable
{
    private readonly string _directory;
    private readonly string _partition;
    private readonly SyncEngineOptions _options;
    private readonly ILogger _logger;
    private readonly List<string> _tagNames = [];
    private int[] _tagIndices = [];
    private SegmentReader? _reader;
    private SegmentSnapshot? _snapshot;
    private SegmentFutexWord? _futex;
    private long _nextAttachNs;
    private long _nextLivenessNs;
    private ulong _lastEpoch;
    private ulong _lastReconnects;
    private ConnectionState _lastState;
    private bool _missingLogged;

    public DeviceSource(string directory, string partition, string name, SyncEngineOptions options, ILogger logger)
    {
        _directory = directory;
        _partition = partition;
        Name = name;
        _options = options;
        _logger = logger;
    }

    public string Name { get; }

    /// <summary>True once a snapshot of the current attachment was read; <see cref="Snapshot"/> is then valid.</summary>
    public bool HasSnapshot { get; private set; }

    /// <summary>The last cycle-consistent copy of the device's data (valid when <see cref="HasSnapshot"/>).</summary>
    public SegmentSnapshot Snapshot => _snapshot ?? throw new InvalidOperationException($"device '{Name}' has no snapshot yet");

    /// <summary>True when the last <see cref="Refresh"/> read a new snapshot.</summary>
    public bool Changed { get; private set; }

    public WriterLiveness Liveness { get; private set; } = WriterLiveness.Gone;

    public ConnectionState State => HasSnapshot ? _snapshot!.Status.State : ConnectionState.Idle;

    /// <summary>The collector is running, attached to this segment, and connected to its device.</summary>
    public bool IsConnected => HasSnapshot && Liveness == WriterLiveness.Alive && State == ConnectionState.Connected;

    /// <summary>
    /// Moves whenever the device may have lost what was written to it: a new attachment, a new writer epoch
    /// (collector restart), a new reconnect count, or a return to Connected. Receivers refresh fully when it moves.
    /// </summary>
    public long ConnectionGeneration { get; private set; }

    /// <summary>Moves when the mapped file changes, so the wake source rebuilds its futex list.</summary>
    public int AttachmentVersion { get; private set; }

    /// <summary>The segment's futex word while attached (for the wake source), else null.</summary>
    internal SegmentFutexWord? FutexWord => _futex;

    /// <summary>The futex word's value read just before the last snapshot: waiting on it misses no later commit.</summary>
    internal uint FutexSeen { get; private set; }

    public ulong SnapshotsRead { get; private set; }

    public ulong SnapshotsFailed { get; private set; }

    /// <summary>Registers a tag by name before the first refresh; returns its handle for <see cref="TagIndex"/>.</summary>
    public int Register(string tag)
    {
        var existing = _tagNames.IndexOf(tag);
        if (existing >= 0)
        {
            return existing;
        }

        _tagNames.Add(tag);
        _tagIndices = [.. _tagIndices, -1];
        return _tagNames.Count - 1;
    }

    /// <summary>The segment's tag index of a registered tag, or -1 when not attached or the segment lacks it.</summary>
    public int TagIndex(int handle) => _tagIndices[handle];

    /// <summary>Attaches if needed, checks liveness when due, and copies a fresh snapshot if anything changed.</summary>
    public void Refresh(long nowNs)
    {
        Changed = false;
        if (_reader is null && (nowNs < _nextAttachNs || !TryAttach(nowNs)))
        {
            return;
        }

        if (nowNs >= _nextLivenessNs)
        {
            CheckLiveness(nowNs);
            if (_reader is null)
            {
                return;
            }
        }

        var reader = _reader!;
        var snapshot = _snapshot!;
        FutexSeen = _futex!.Read();
        if (HasSnapshot && reader.ChangeSequence == snapshot.ChangeSequence)
        {
            return;
        }

        if (!reader.TryReadSnapshot(snapshot, _options.SnapshotAttempts))
        {
            // The writer is stuck mid-commit (or died there): keep the last good copy, judge the writer now.
            SnapshotsFailed++;
            _nextLivenessNs = nowNs;
            return;
        }

        SnapshotsRead++;
        HasSnapshot = true;
        Changed = true;
        TrackConnection(nowNs);
    }

    private void TrackConnection(long nowNs)
    {
        ref readonly var status = ref _snapshot!.Status;
        var epoch = _snapshot.Epoch;
        var moved = epoch != _lastEpoch
            || status.Reconnects != _lastReconnects
            || (status.State == ConnectionState.Connected && _lastState != ConnectionState.Connected);
        if (epoch != _lastEpoch)
        {
            // A new collector incarnation: judge it at once rather than on the next interval.
            _nextLivenessNs = nowNs;
        }

        if (moved)
        {
            ConnectionGeneration++;
        }

        if (status.State != _lastState)
        {
            Log.DeviceStateChanged(_logger, Name, _lastState, status.State);
        }

        _lastEpoch = epoch;
        _lastReconnects = status.Reconnects;
        _lastState = status.State;
    }

    private void CheckLiveness(long nowNs)
    {
        _nextLivenessNs = nowNs + Nanoseconds.From(_options.LivenessCheckInterval);
        var liveness = _reader!.CheckLiveness();
        if (liveness != Liveness)
        {
            Log.DeviceLivenessChanged(_logger, Name, Liveness, liveness);
            Liveness = liveness;
        }

        if (liveness == WriterLiveness.Superseded)
        {
            // A new layout was renamed over the path: drop this map and attach to the new file.
            Detach();
            TryAttach(nowNs);
        }
    }

    private bool TryAttach(long nowNs)
    {
        _nextAttachNs = nowNs + Nanoseconds.From(_options.AttachRetryInterval);
        SegmentReader reader;
        try
        {
            reader = SegmentReader.Open(_directory, _partition, Name);
        }
        catch (FileNotFoundException)
        {
            if (!_missingLogged)
            {
                _missingLogged = true;
                Log.DeviceSegmentMissing(_logger, Name, SegmentNames.SegmentPath(_directory, _partition, Name));
            }

            return false;
        }
        catch (SegmentFormatException e)
        {
            // Not yet published, or garbage: try again on the next attach interval (logged once until it works).
            if (!_missingLogged)
            {
                _missingLogged = true;
                Log.DeviceSegmentUnreadable(_logger, Name, e.Message);
            }

            return false;
        }

        var futex = SegmentFutexWord.TryMap(reader.Path, out var errno);
        if (futex is null)
        {
            Log.DeviceSegmentUnreadable(_logger, Name, $"mapping the futex word failed (errno {errno})");
            reader.Dispose();
            return false;
        }

        _reader = reader;
        _futex = futex;
        _snapshot = reader.CreateSnapshot();
        HasSnapshot = false;
        _missingLogged = false;
        for (var i = 0; i < _tagNames.Count; i++)
        {
            if (!reader.Layout.TryGetIndex(_tagNames[i], out _tagIndices[i]))
            {
                _tagIndices[i] = -1;
                Log.DeviceTagMissing(_logger, Name, _tagNames[i]);
            }
        }

        AttachmentVersion++;
        ConnectionGeneration++;
        _lastEpoch = 0;
        _nextLivenessNs = nowNs + Nanoseconds.From(_options.LivenessCheckInterval);
        var liveness = reader.CheckLiveness();
        if (liveness != Liveness)
        {
            Log.DeviceLivenessChanged(_logger, Name, Liveness, liveness);
            Liveness = liveness;
        }

        Log.DeviceAttached(_logger, Name, reader.Path, reader.Layout.TagCount);
        return true;
    }

    private void Detach()
    {
        _reader?.Dispose();
        _futex?.Dispose();
        _reader = null;
        _futex = null;
        HasSnapshot = false;
        Array.Fill(_tagIndices, -1);
        AttachmentVersion++;
        Liveness = WriterLiveness.Gone;
    }

    public void Dispose() => Detach();
}
