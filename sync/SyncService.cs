using EdgePartition.Config;
using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Health;
using EdgePartition.Ipc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync;

/// <summary>
/// The sync process: the engine in a cycle loop at the configured cycle time, woken early by device segment commits.
/// Ready (READY=1) once the sync segment is open. On stop the cycle in progress finishes, then the segment is
/// committed as Stopped; no queue lock is held outside an enqueue, so nothing is left held or half-written.
/// A second sync of the same partition finds the segment's lease taken and exits with <see cref="ExitCodeAlreadyRunning"/>.
/// </summary>
public sealed class SyncService(
    PartitionConfig config,
    CycleLoops cycles,
    ProcessReadiness readiness,
    ProcessStatus status,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    SyncEngineOptions? options = null) : BackgroundService
{
    /// <summary>EX_TEMPFAIL: another sync of the partition holds the sync segment.</summary>
    public const int ExitCodeAlreadyRunning = 75;

    /// <summary>EX_SOFTWARE: the engine failed.</summary>
    public const int ExitCodeFailed = 70;

    private readonly ReadinessGate _ready = readiness.Register("sync segment open");
    private readonly ILogger _logger = loggerFactory.CreateLogger("EdgePartition.Sync");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sync = config.Sync ?? throw new InvalidOperationException($"partition '{config.Name}' has no sync rules");
        SyncEngine engine;
        try
        {
            engine = new SyncEngine(config, _logger, options);
        }
        catch (SegmentLeaseException e)
        {
            Log.AlreadyRunning(_logger, config.Name, e.Message);
            Environment.ExitCode = ExitCodeAlreadyRunning;
            lifetime.StopApplication();
            return;
        }

        using (engine)
        {
            var work = new SyncCycleWork(engine, status.Set);
            var realtime = config.Realtime.Sync;
            var loop = cycles.Create(
                new CycleOptions
                {
                    Name = "sync",
                    Period = sync.CycleTime,
                    RealTime = realtime is null ? null : new RealTimeOptions { Priority = realtime.Priority, CpuAffinity = realtime.Cpus },
                },
                work,
                engine.WakeSource);
            work.Loop = loop;
            _ready.Open();
            try
            {
                await loop.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The loop logged it; the host stops and systemd restarts the unit.
                Environment.ExitCode = ExitCodeFailed;
                throw;
            }
        }
    }
}
