using System.Runtime.CompilerServices;
using EdgePartition.Collector.Drivers;
using EdgePartition.Collector.Layout;
using EdgePartition.Config;
using EdgePartition.Hosting.Cycles;
using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;
using Backoff = EdgePartition.Protocols.Backoff;

namespace EdgePartition.Collector.Workers;

/// <summary>
/// Runs one device: owns its segment (the only writer), its write-request queue (the only consumer) and its
/// driver (the one logical connection). Each cycle executes waiting write requests first, then polls the groups
/// that are due, then commits everything the cycle staged in one seqlock section. While the device is down every
/// tag is bad, the status says why, and reconnects follow a bounded, jittered exponential back-off.
/// </summary>
/// <remarks>Driven by a <see cref="CycleLoop"/> on its own thread; not thread-safe beyond that.</remarks>
internal sealed partial class DeviceWorker : ICycleWork, IAsyncDisposable
{
    private readonly DeviceLayout _layout;
    private readonly IDeviceDriver _driver;
    private readonly SegmentWriter _writer;
    private readonly WriteQueue _queue;
    private readonly DeviceWorkerOptions _options;
    private readonly ILogger _logger;
    private readonly PollSchedule _schedule;
    private Backoff _backoff;
    private readonly WriteRequest _request = new();
    private readonly byte[] _writeValue = new byte[WriteQueueFormat.ValueCapacity];
    private CycleTimeStats _cycleTimes;
    private CycleLoop? _loop;
    private bool _connected;
    private bool _everConnected;
    private long _nextAttemptMonotonicNs;
    private long _nextJitterRefreshNs;
    private bool _disposed;

    private DeviceWorker(DeviceLayout layout, IDeviceDriver driver, SegmentWriter writer, WriteQueue queue, DeviceWorkerOptions options, ILogger logger)
    {
        _layout = layout;
        _driver = driver;
        _writer = writer;
        _queue = queue;
        _options = options;
        _logger = logger;
        _schedule = new PollSchedule(layout.Device.PollGroups);
        _backoff = new Backoff(options.ReconnectMinDelay, options.ReconnectMaxDelay, new Random(Environment.ProcessId ^ layout.Device.Name.GetHashCode(StringComparison.Ordinal)));
        WakeSource = new WriteQueueWakeSource(queue);
    }

    /// <summary>Raised on the worker's thread when the connection state changes (for STATUS= lines).</summary>
    public event Action<DeviceWorker>? StateChanged;

    public DeviceConfig Device => _layout.Device;

    public string Name => _layout.Device.Name;

    /// <summary>The base period of the device's cycle loop (see <see cref="PollSchedule"/>).</summary>
    public TimeSpan Period => _schedule.Period;

    /// <summary>Wakes the loop when a write request arrives.</summary>
    public ICycleWakeSource WakeSource { get; }

    public ConnectionState State => _writer.Status.State;

    public string LastError => _writer.Status.GetLastError();

    public SegmentLayout Layout => _layout.Segment;

    /// <summary>Cycles that committed something (staged status; read on the worker's thread).</summary>
    internal ulong CommittedCycles => _writer.Status.CycleCount;

    /// <summary>
    /// Creates the device's segment (tag table from the config, every tag waiting for initial data) and its write
    /// queue, and publishes the initial status so readers see the device before its first poll.
    /// </summary>
    public static DeviceWorker Create(PartitionConfig partition, DeviceConfig device, IDeviceDriver? driver, DeviceWorkerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(device);
        var layout = DeviceLayout.Build(device);
        driver ??= DeviceDrivers.Create(layout);
        SegmentWriter? writer = null;
        try
        {
            writer = SegmentWriter.Create(partition.SegmentDirectory, partition.Name, device.Name, layout.Segment, logger);
            var queue = WriteQueue.Create(partition.SegmentDirectory, partition.Name, device.Name, options.WriteQueueCapacity, logger);
            var worker = new DeviceWorker(layout, driver, writer, queue, options, logger);
            worker.PublishInitialStatus();
            return worker;
        }
        catch
        {
            writer?.Dispose();
            driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Connects the loop that drives this worker (for wake-ups and jitter statistics).</summary>
    public void Attach(CycleLoop loop) => _loop = loop;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunCycleAsync(CycleTick tick, CancellationToken cancellationToken)
    {
        var startNs = MonotonicClock.NowNanoseconds;
        var committed = false;
        try
        {
            if (!_connected && startNs >= _nextAttemptMonotonicNs)
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
                committed = true;

                // Cycle times measure polls and writes, not how long a connect took.
                startNs = MonotonicClock.NowNanoseconds;
            }

            committed |= await ExecuteWritesAsync(cancellationToken).ConfigureAwait(false);
            if (_connected)
            {
                committed |= await PollDueGroupsAsync(startNs, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the cycle in progress is abandoned; Dispose publishes the final state.
            return;
        }

        FinishCycle(startNs, committed);
    }

    private async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        _writer.Status.SetState(ConnectionState.Connecting, UnixTime.NowNs());
        try
        {
            await _driver.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = error is DeviceLinkException ? error.Message : $"connect failed: {error.Message}";
            var permanent = error is DeviceLinkException { IsPermanent: true };
            var delay = _backoff.NextDelay();
            _nextAttemptMonotonicNs = permanent ? long.MaxValue : MonotonicClock.NowNanoseconds + Nanoseconds.From(delay);
            _writer.SetAllQualities(IpcQuality.BadNotConnected);
            _writer.Status.SetState(permanent ? ConnectionState.Faulted : ConnectionState.Disconnected, UnixTime.NowNs());
            _writer.Status.SetLastError(reason);
            if (_backoff.Failures == 1 || _backoff.Failures % 10 == 0)
            {
                LogConnectFailed(_logger, Name, _backoff.Failures, reason, (long)delay.TotalMilliseconds);
            }

            await _driver.DropLinkAsync().ConfigureAwait(false);
            RaiseStateChanged();
            return;
        }

        _connected = true;
        if (_everConnected)
        {
            _writer.Status.Reconnects++;
        }

        _everConnected = true;
        _backoff.Reset();
        _writer.Status.SetState(ConnectionState.Connected, UnixTime.NowNs());
        _schedule.DueNow();
        LogConnected(_logger, Name, _driver.Endpoint);
        RaiseStateChanged();
    }

    /// <summary>Executes queued write requests (bounded per cycle) and publishes their results.</summary>
    /// <returns>Whether any result was staged.</returns>
    private async ValueTask<bool> ExecuteWritesAsync(CancellationToken cancellationToken)
    {
        var executed = 0;
        while (executed < _options.MaxWritesPerCycle && _queue.TryDequeue(_request, TimeSpan.FromMilliseconds(50)))
        {
            executed++;
            var startedNs = UnixTime.NowNs();
            var outcome = WriteValidator.Check(_layout.Tags, _request, startedNs)
                ?? await ExecuteWriteAsync(cancellationToken).ConfigureAwait(false);
            ref var status = ref _writer.Status;
            if (outcome.IsGood)
            {
                status.WritesOk++;
            }
            else
            {
                status.WritesFailed++;
                LogWriteFailed(_logger, Name, _request.RequestId, _request.TagIndex, _request.Origin, outcome.Error);
            }

            _writer.PublishWriteResult(new WriteResult(_request.RequestId, outcome.StatusCode, _request.TagIndex,
                _request.EnqueuedUnixNs, startedNs, UnixTime.NowNs(), outcome.Error));
        }

        if (executed == _options.MaxWritesPerCycle && _queue.Count > 0)
        {
            // More waiting: run another (woken) cycle right after this one instead of waiting for a deadline.
            _loop?.Wake();
        }

        return executed > 0;
    }

    private async ValueTask<WriteOutcome> ExecuteWriteAsync(CancellationToken cancellationToken)
    {
        if (!_connected)
        {
            return WriteOutcome.Failed(IpcQuality.BadNotConnected, $"device not connected: {_writer.Status.GetLastError()}");
        }

        var length = _request.Length;
        _request.Value.CopyTo(_writeValue);
        var command = new WriteCommand(_layout.Tags[_request.TagIndex], _request.ByteOffset, _writeValue.AsMemory(0, length));
        try
        {
            return await _driver.WriteAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await LinkDownAsync(error).ConfigureAwait(false);
            return WriteOutcome.Failed(IpcQuality.BadCommunicationError, error.Message);
        }
    }

    /// <returns>Whether any group was read (the cycle has something to commit).</returns>
    private async ValueTask<bool> PollDueGroupsAsync(long nowNs, CancellationToken cancellationToken)
    {
        var polled = false;
        for (var group = 0; group < _schedule.GroupCount && _connected; group++)
        {
            if (!_schedule.TakeDue(group, nowNs))
            {
                continue;
            }

            polled = true;
            try
            {
                var failedTags = await _driver.ReadGroupAsync(group, _writer, cancellationToken).ConfigureAwait(false);
                ref var status = ref _writer.Status;
                if (failedTags == 0)
                {
                    status.ReadsOk++;
                }
                else
                {
                    status.ReadsFailed++;
                    status.SetLastError($"poll group '{Device.PollGroups[group].Name}': {failedTags} tag(s) refused by the device");
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _writer.Status.ReadsFailed++;
                await LinkDownAsync(error).ConfigureAwait(false);
            }
        }

        return polled;
    }

    /// <summary>The connection is gone: data bad, reason recorded, connection dropped, next attempt booked.</summary>
    private async ValueTask LinkDownAsync(Exception error)
    {
        var quality = error is DeviceLinkException link ? link.Quality : IpcQuality.BadCommunicationError;
        if (error is not DeviceLinkException)
        {
            LogUnexpectedDriverError(_logger, error, Name);
        }

        _connected = false;
        ref var status = ref _writer.Status;
        _writer.SetAllQualities(quality);
        status.SetState(ConnectionState.Disconnected, UnixTime.NowNs());
        status.SetLastError(error.Message);
        var delay = _backoff.NextDelay();
        _nextAttemptMonotonicNs = MonotonicClock.NowNanoseconds + Nanoseconds.From(delay);
        LogConnectionLost(_logger, Name, error.Message, (long)delay.TotalMilliseconds);
        await _driver.DropLinkAsync().ConfigureAwait(false);
        RaiseStateChanged();
    }

    private void FinishCycle(long startNs, bool commit)
    {
        var endNs = MonotonicClock.NowNanoseconds;
        ref var status = ref _writer.Status;
        if (commit)
        {
            _cycleTimes.Record(endNs - startNs);
            status.CycleCount++;
            status.CycleTimeLastNs = _cycleTimes.LastNs;
            status.CycleTimeAvgNs = _cycleTimes.AverageNs;
            status.CycleTimeMaxNs = _cycleTimes.MaxNs;
            status.LastCycleUnixNs = UnixTime.NowNs() - (endNs - startNs);
            status.BytesIn = (ulong)_driver.BytesIn;
            status.BytesOut = (ulong)_driver.BytesOut;
            status.WriteQueueDepth = (uint)Math.Max(0, _queue.Count);
            if (endNs >= _nextJitterRefreshNs && _loop is not null)
            {
                // Once a second, not per cycle: the statistics snapshot allocates.
                var statistics = _loop.GetStatistics();
                status.JitterP50Ns = Nanoseconds.From(statistics.JitterP50);
                status.JitterP99Ns = Nanoseconds.From(statistics.JitterP99);
                status.JitterMaxNs = Nanoseconds.From(statistics.JitterMax);
                _nextJitterRefreshNs = endNs + Nanoseconds.From(_options.JitterRefresh);
            }

            _writer.Commit();
        }

        _writer.Heartbeat();
    }

    private void PublishInitialStatus()
    {
        ref var status = ref _writer.Status;
        status.SetEndpoint(_driver.Endpoint);
        status.SetState(ConnectionState.Connecting, UnixTime.NowNs());
        status.SetLastError("");
        _writer.Commit();
        _writer.Heartbeat();
    }

    private void RaiseStateChanged() => StateChanged?.Invoke(this);

    /// <summary>
    /// Drops the connection, marks every tag out of service and the segment stopped (the writer publishes it in one
    /// commit), and closes the queue; pending requests stay in the queue file for the next run.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _driver.DisconnectAsync().ConfigureAwait(false);
            await _driver.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _writer.SetAllQualities(IpcQuality.BadOutOfService);
            _writer.Status.SetLastError("collector stopped");
            _writer.Dispose();
            _queue.Dispose();
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Device {Device}: connected to {Endpoint}")]
    private static partial void LogConnected(ILogger logger, string device, string endpoint);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Device {Device}: connect attempt {Attempt} failed: {Reason}; next attempt in {DelayMs} ms")]
    private static partial void LogConnectFailed(ILogger logger, string device, int attempt, string reason, long delayMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Device {Device}: connection lost: {Reason}; reconnecting in {DelayMs} ms")]
    private static partial void LogConnectionLost(ILogger logger, string device, string reason, long delayMs);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Device {Device}: write request {RequestId} (tag {TagIndex}, from {Origin}) failed: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string device, ulong requestId, int tagIndex, string origin, string error);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Device {Device}: unexpected driver error; treating the connection as lost")]
    private static partial void LogUnexpectedDriverError(ILogger logger, Exception error, string device);
}
