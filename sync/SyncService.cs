using EdgePartition.Config;
using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync;

/// <summary>
/// The sync process: the engine in a cycle loop at the configured cycle time, woken early by device segment commits.
/// Ready (READY=1) once the sync segment is open. On stop the cycle in progress finishes, then the segment is
/// committed as Stopped; no queue lock is held outside an enqueue, so nothing is left held or half-written.
/// </summary>
public sealed class SyncService(
    PartitionConfig config,
    CycleLoops cycles,
    ProcessReadiness readiness,
    ProcessStatus status,
    ILoggerFactory loggerFactory,
    SyncEngineOptions? options = null) : BackgroundService
{
    private readonly ReadinessGate _ready = readiness.Register("sync segment open");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sync = config.Sync ?? throw new InvalidOperationException($"partition '{config.Name}' has no sync rules");
        using var engine = new SyncEngine(config, loggerFactory.CreateLogger("EdgePartition.Sync"), options);
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
        await loop.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
