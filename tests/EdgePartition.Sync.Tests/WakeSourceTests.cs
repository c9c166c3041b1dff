using EdgePartition.Sync.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Sync.Tests;

/// <summary>The cycle wakes on any device segment's commit (futex_waitv on every futex word at once).</summary>
public sealed class WakeSourceTests : IDisposable
{
    private static readonly TimeSpan Long = TestTimeouts.Default;
    private readonly TestPartition _partition = TestPartition.FromDemo();
    private readonly EngineClock _clock = new();
    private readonly FakeCollector[] _plcs;

    public WakeSourceTests()
    {
        _plcs = [new FakeCollector(_partition, "plc1"), new FakeCollector(_partition, "plc2"), new FakeCollector(_partition, "plc3")];
        foreach (var plc in _plcs)
        {
            plc.Connect();
        }
    }

    [Fact]
    public void CommitAfterTheLastCycleWakesTheNextWaitAtOnce()
    {
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        engine.RunCycle(true, _clock.MonotonicNs, _clock.UnixNs);
        _plcs[2].Commit();
        Assert.True(engine.WakeSource.WaitForWake(Long));
        Assert.True(((Wake.SegmentChangeWakeSource)engine.WakeSource).UsesFutexWaitv, "futex_waitv needs Linux 5.16 or later");
    }

    [Fact]
    public async Task CommitDuringTheWaitWakesIt()
    {
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        engine.RunCycle(true, _clock.MonotonicNs, _clock.UnixNs);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var wait = Task.Factory.StartNew(
            () =>
            {
                waiting.SetResult();
                return engine.WakeSource.WaitForWake(Long);
            },
            TaskCreationOptions.LongRunning);
        await waiting.Task.WaitAsync(Long);

        _plcs[1].Commit();
        Assert.True(await wait.WaitAsync(Long * 2));
    }

    [Fact]
    public async Task TheWaitCountsItselfInEveryDeviceSegmentsWaitersFile()
    {
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        engine.RunCycle(true, _clock.MonotonicNs, _clock.UnixNs);
        var wait = Task.Factory.StartNew(() => engine.WakeSource.WaitForWake(Long), TaskCreationOptions.LongRunning);

        // Writers issue FUTEX_WAKE only for counted waiters: the sleeping cycle must be counted in all three.
        // Nothing signals "counted" but the count itself.
        await Eventually.PollAsync(() => _plcs.All(plc => WaitersCount(plc) == 1), "the wait counted in every device segment's waiters file");

        _plcs[0].Commit();
        Assert.True(await wait.WaitAsync(Long * 2));
        Assert.All(_plcs, plc => Assert.Equal(0U, WaitersCount(plc)));
    }

    [Fact]
    public void WithoutCommitsTheWaitEndsAtItsTimeout()
    {
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        engine.RunCycle(true, _clock.MonotonicNs, _clock.UnixNs);
        Assert.False(engine.WakeSource.WaitForWake(TimeSpan.FromMilliseconds(20)));
    }

    private uint WaitersCount(FakeCollector plc)
    {
        var path = Ipc.SegmentNames.WaitersPath(Ipc.SegmentNames.SegmentPath(_partition.SegmentDirectory, _partition.Name, plc.Device.Name));
        Span<byte> count = stackalloc byte[4];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.ReadExactly(count);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(count);
    }

    public void Dispose()
    {
        foreach (var plc in _plcs)
        {
            plc.Dispose();
        }

        _partition.Dispose();
    }
}
