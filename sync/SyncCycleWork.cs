using EdgePartition.Hosting.Cycles;
using EdgePartition.Ipc;

namespace EdgePartition.Sync;

/// <summary>
/// Runs the engine in a <see cref="CycleLoop"/> and, about once a second, hands it the loop's jitter figures and
/// reports a status line (both allocate a little, so not every cycle).
/// </summary>
internal sealed class SyncCycleWork(SyncEngine engine, Action<string>? reportStatus = null) : ICycleWork
{
    private const long StatisticsIntervalNs = 1_000_000_000;
    private long _nextStatisticsNs;

    public CycleLoop? Loop { get; set; }

    public ValueTask RunCycleAsync(CycleTick tick, CancellationToken cancellationToken)
    {
        engine.RunCycle(tick.Trigger == CycleTrigger.Scheduled, tick.StartNanoseconds, UnixTime.NowNs());
        if (tick.StartNanoseconds >= _nextStatisticsNs && Loop is { } loop)
        {
            _nextStatisticsNs = tick.StartNanoseconds + StatisticsIntervalNs;
            engine.UpdateLoopStatistics(loop.GetStatistics());
            reportStatus?.Invoke($"syncing {engine.DeviceCount} devices, {engine.AliveDevices} alive, heartbeat {engine.ServerHeartbeat}");
        }

        return ValueTask.CompletedTask;
    }
}
