using EdgePartition.Ipc;
using EdgePartition.Sync.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Sync.Tests;

/// <summary>
/// The engine in-process against real segments and write queues: fake collectors (real SegmentWriters and
/// WriteQueues) stand in for the devices, and the test drives the engine's clock.
/// </summary>
public sealed class EngineWriteBackTests : IDisposable
{
    private static readonly string[] Plcs = ["plc1", "plc2", "plc3"];
    private readonly TestPartition _partition = TestPartition.FromDemo();
    private readonly EngineClock _clock = new();
    private readonly List<FakeCollector> _collectors = [];

    private FakeCollector Collector(string device, int queueCapacity = 64)
    {
        var collector = new FakeCollector(_partition, device, queueCapacity);
        _collectors.Add(collector);
        collector.Connect();
        return collector;
    }

    private SyncEngine StartEngine(SyncEngineOptions? options = null) => new(_partition.Config, NullLogger.Instance, options);

    private void Cycle(SyncEngine engine, bool scheduled = true)
    {
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        engine.RunCycle(scheduled, _clock.MonotonicNs, _clock.UnixNs);
    }

    private void DrainAll()
    {
        foreach (var collector in _collectors)
        {
            collector.Drain();
        }
    }

    [Fact]
    public void SendBlockOfOnePlcReachesEveryReceiver()
    {
        var plcs = Plcs.Select(p => Collector(p)).ToArray();
        using var engine = StartEngine();
        Cycle(engine);
        DrainAll();

        var send = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        plcs[0].SetBlock("send", send);
        plcs[0].Commit();
        Cycle(engine, scheduled: false);
        DrainAll();

        foreach (var plc in plcs)
        {
            Assert.Equal(send, plc.Memory("receive")[..32]);
        }

        using var view = new SyncSegmentView(_partition);
        Assert.Equal(send, view.Image[..32]);
    }

    [Fact]
    public void FirstWriteIsTheWholeImageThenOnlyChangedRanges()
    {
        var plcs = Plcs.Select(p => Collector(p)).ToArray();
        using var engine = StartEngine();
        Cycle(engine);
        DrainAll();
        Assert.Equal([("receive", 0, 100)], plcs[1].Executed);

        // One byte of plc2's block (image byte 32 + 5); a woken cycle leaves the heartbeat alone.
        var send = new byte[32];
        send[5] = 0x5A;
        plcs[1].SetBlock("send", send);
        plcs[1].Commit();
        Cycle(engine, scheduled: false);
        DrainAll();

        Assert.Equal(("receive", 37, 1), plcs[0].Executed[^1]);
        Assert.Equal(0x5A, plcs[0].Memory("receive")[37]);
        Assert.Equal(2, plcs[0].Executed.Count);
    }

    [Fact]
    public void NearbyChangesAreMergedIntoOneWrite()
    {
        var plcs = Plcs.Select(p => Collector(p)).ToArray();
        using var engine = StartEngine();
        Cycle(engine);
        DrainAll();

        var send = new byte[32];
        send[0] = 1;
        send[10] = 2;
        plcs[0].SetBlock("send", send);
        plcs[0].Commit();
        Cycle(engine, scheduled: false);
        DrainAll();

        Assert.Equal(("receive", 0, 11), plcs[2].Executed[^1]);
    }

    [Fact]
    public void ServerHeartbeatAdvancesEveryScheduledCycleAsBigEndianIntModulo256()
    {
        Plcs.Select(p => Collector(p)).ToArray();
        using var engine = StartEngine();
        using var view = new SyncSegmentView(_partition);
        for (var i = 0; i < 300; i++)
        {
            Cycle(engine);
        }

        Assert.Equal(300UL, engine.ServerHeartbeat);
        Assert.Equal(300UL, view.Heartbeat);
        var image = view.Image;
        Assert.Equal(300 % 256, (image[96] << 8) | image[97]);

        // Woken cycles carry changes but do not beat.
        DrainAll();
        Cycle(engine, scheduled: false);
        DrainAll();
        Assert.Equal(300UL, engine.ServerHeartbeat);
        Assert.Equal(300 % 256, (_collectors[1].Memory("receive")[96] << 8) | _collectors[1].Memory("receive")[97]);
    }

    [Fact]
    public void WholeImageIsWrittenAgainWhenTheRefreshIntervalPasses()
    {
        var plcs = Plcs.Select(p => Collector(p)).ToArray();
        using var engine = StartEngine();
        Cycle(engine);
        DrainAll();
        Cycle(engine);
        DrainAll();
        Assert.Equal(("receive", 97, 1), plcs[0].Executed[^1]);

        _clock.Advance(_partition.Config.Sync!.FullRefreshInterval);
        Cycle(engine);
        DrainAll();
        Assert.Equal(("receive", 0, 100), plcs[0].Executed[^1]);
    }

    [Fact]
    public void WholeImageIsWrittenAgainAfterTheDeviceReconnects()
    {
        var plcs = Plcs.Select(p => Collector(p)).ToArray();
        using var engine = StartEngine();
        Cycle(engine);
        DrainAll();

        plcs[2].Disconnect();
        Cycle(engine);
        DrainAll();
        plcs[2].Connect(countReconnect: true);
        Cycle(engine, scheduled: false);
        DrainAll();

        Assert.Equal(("receive", 0, 100), plcs[2].Executed[^1]);
        Assert.Equal(2, plcs[2].Executed.Count(e => e.Length == 100));
        using var view = new SyncSegmentView(_partition);
        Assert.Equal(2UL, view.Counter(SyncSegmentTags.FullRefreshes("plc3")));
    }

    [Fact]
    public void FailedWriteLeadsToAWholeImageWrite()
    {
        var plcs = Plcs.Select(p => Collector(p)).ToArray();
        using var engine = StartEngine();
        Cycle(engine);
        plcs[0].FailWith = IpcQuality.BadCommunicationError;
        DrainAll();
        plcs[0].FailWith = null;

        Cycle(engine, scheduled: false);
        DrainAll();

        Assert.Equal([("receive", 0, 100), ("receive", 0, 100)], plcs[0].Executed);
        using var view = new SyncSegmentView(_partition);
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.WritesFailed("plc1")));
        Assert.Contains("refused by test", view.Read().Status.GetLastError(), StringComparison.Ordinal);
    }

    [Fact]
    public void FullQueueIsCountedAndTheChangeRetriedNextCycle()
    {
        var plc1 = Collector("plc1", queueCapacity: 1);
        Collector("plc2");
        Collector("plc3");
        using var engine = StartEngine();
        Cycle(engine);

        // plc1's collector has not taken the full image yet: its one-record queue is full.
        var send = new byte[32];
        send[0] = 7;
        _collectors[1].SetBlock("send", send);
        _collectors[1].Commit();
        Cycle(engine, scheduled: false);
        using var view = new SyncSegmentView(_partition);
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.WritesRefused("plc1")));

        DrainAll();
        Cycle(engine, scheduled: false);
        DrainAll();
        Assert.Equal(7, plc1.Memory("receive")[32]);
    }

    [Fact]
    public void NothingIsWrittenToADisconnectedDevice()
    {
        var plcs = Plcs.Select(p => Collector(p)).ToArray();
        plcs[1].Disconnect();
        using var engine = StartEngine();
        Cycle(engine);
        Cycle(engine);

        Assert.Equal(0, plcs[1].Pending);
        Assert.Empty(plcs[1].Executed);
        Assert.True(plcs[0].Pending > 0);
    }

    public void Dispose()
    {
        foreach (var collector in _collectors)
        {
            collector.Dispose();
        }

        _partition.Dispose();
    }
}
