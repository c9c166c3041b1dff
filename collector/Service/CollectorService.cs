using System.Text;
using EdgePartition.Collector.Workers;
using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Health;
using EdgePartition.Hosting.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Collector.Service;

/// <summary>
/// The collector process's one long-running part: creates a segment, write queue and driver per device of its
/// protocol, opens the readiness gate once every segment exists (READY=1), then runs one cycle loop per device
/// until shutdown. STATUS= follows the devices' connection states. A worker whose loop fails stops the host, so
/// systemd restarts the process.
/// </summary>
public sealed partial class CollectorService(
    CollectorSettings settings,
    CycleLoops cycles,
    ProcessReadiness readiness,
    ProcessStatus processStatus,
    ILoggerFactory loggerFactory)
    : BackgroundService
{
    private readonly ReadinessGate _segmentsReady = readiness.Register("device segments created");
    private readonly ILogger _logger = loggerFactory.CreateLogger("EdgePartition.Collector");
    private readonly Lock _statusGate = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<DeviceWorker> _workers = [];

    /// <summary>Completes once every device has its segment and its loop is running.</summary>
    public Task Started => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = new List<DeviceWorker>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var running = new List<Task>();
        var driverLogger = loggerFactory.CreateLogger("EdgePartition.Collector.Device");
        try
        {
            foreach (var device in settings.Devices())
            {
                using (driverLogger.BeginDeviceScope(device.Name))
                {
                    var worker = DeviceWorker.Create(settings.Partition, device, driver: null, settings.Workers, driverLogger);
                    worker.StateChanged += _ => PublishStatus();
                    workers.Add(worker);
                }
            }

            _workers = workers;
            LogStarting(_logger, workers.Count, CollectorProtocols.CommandName(settings.Protocol), settings.Partition.SegmentDirectory);
            PublishStatus();
            _segmentsReady.Open();

            var realTime = settings.Partition.Realtime.Collector is { } rt
                ? new RealTimeOptions { Priority = rt.Priority, CpuAffinity = rt.Cpus.Count > 0 ? rt.Cpus : null }
                : null;
            foreach (var worker in workers)
            {
                var loop = cycles.Create(
                    new CycleOptions { Name = worker.Name, Period = worker.Period, RealTime = realTime, HealthTimeout = HealthTimeout(worker) },
                    worker,
                    worker.WakeSource);
                worker.Attach(loop);

                // The loop's thread inherits the scope, so every line it logs names the device.
                using (driverLogger.BeginDeviceScope(worker.Name))
                {
                    running.Add(loop.RunAsync(stop.Token));
                }
            }

            _started.TrySetResult();
            if (running.Count > 0)
            {
                var first = await Task.WhenAny(running).ConfigureAwait(false);

                // A loop that ends before shutdown failed (it throws only on a bug): fail the process.
                await first.ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            LogFailed(_logger, error);
            Environment.ExitCode = 1;
            _started.TrySetException(error);
            throw;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var task in running)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // Already reported by the loop; shutdown goes on for the other devices.
                }
            }

            foreach (var worker in workers)
            {
                using (driverLogger.BeginDeviceScope(worker.Name))
                {
                    await worker.DisposeAsync().ConfigureAwait(false);
                }
            }

            LogStopped(_logger, workers.Count);
        }
    }

    /// <summary>
    /// How long a device loop may go without finishing a cycle before the watchdog is withheld: ten periods, at least
    /// 5 s, and at least three device timeouts, so a connect attempt to a dead device is not taken for a hang.
    /// </summary>
    private static TimeSpan HealthTimeout(DeviceWorker worker) => TimeSpan.FromTicks(Math.Max(
        Math.Max(worker.Period.Ticks * 10, TimeSpan.FromSeconds(5).Ticks),
        worker.Device.Connection.Timeout.Ticks * 3));

    /// <summary>STATUS= text: one entry per device with its state and, when down, why.</summary>
    private void PublishStatus()
    {
        lock (_statusGate)
        {
            var text = new StringBuilder();
            var workers = _workers;
            var up = 0;
            foreach (var worker in workers)
            {
                if (worker.State == Ipc.ConnectionState.Connected)
                {
                    up++;
                }
            }

            text.Append(up).Append('/').Append(workers.Count).Append(" devices connected");
            foreach (var worker in workers)
            {
                if (worker.State != Ipc.ConnectionState.Connected)
                {
                    text.Append("; ").Append(worker.Name).Append(": ").Append(worker.State.ToString().ToLowerInvariant());
                    var error = worker.LastError;
                    if (error.Length > 0)
                    {
                        text.Append(" (").Append(error.Length > 80 ? error[..80] : error).Append(')');
                    }
                }
            }

            processStatus.Set(text.ToString());
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Collecting {Count} {Protocol} device(s); segments in {Directory}")]
    private static partial void LogStarting(ILogger logger, int count, string protocol, string directory);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Stopped; {Count} device segment(s) marked stopped")]
    private static partial void LogStopped(ILogger logger, int count);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Critical, Message = "The collector failed")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
