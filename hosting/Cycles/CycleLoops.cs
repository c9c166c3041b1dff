using EdgePartition.Hosting.Health;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// Creates the process's cycle loops with health reporting and logging wired, and lists them so status, metrics
/// and STATUS= lines can show every loop's jitter. Registered as a singleton by the partition host.
/// </summary>
public sealed class CycleLoops(ProcessHealth health, ILoggerFactory loggerFactory)
{
    private readonly Lock _gate = new();
    private CycleLoop[] _loops = [];

    public IReadOnlyList<CycleLoop> All => Volatile.Read(ref _loops);

    /// <summary>A loop whose finished cycles keep the process healthy; run it with <see cref="CycleLoop.RunAsync"/>.</summary>
    public CycleLoop Create(CycleOptions options, ICycleWork work, ICycleWakeSource? wakeSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var reporter = health.Register($"cycle {options.Name}", options.EffectiveHealthTimeout);
        var loop = new CycleLoop(options, work, loggerFactory.CreateLogger($"EdgePartition.Cycle.{options.Name}"), reporter, wakeSource);
        lock (_gate)
        {
            _loops = [.. _loops, loop];
        }

        return loop;
    }

    public IReadOnlyList<CycleStatistics> Snapshot()
    {
        var loops = Volatile.Read(ref _loops);
        var statistics = new CycleStatistics[loops.Length];
        for (int i = 0; i < loops.Length; i++)
        {
            statistics[i] = loops[i].GetStatistics();
        }

        return statistics;
    }
}
