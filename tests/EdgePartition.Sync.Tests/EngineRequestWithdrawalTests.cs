using EdgePartition.Ipc;
using EdgePartition.Sync.Requests;
using EdgePartition.Sync.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Sync.Tests;

/// <summary>
/// withdrawOnTimeout: the demo partition with plc2's request for plc3's pump (pair plc3Pump) withdrawing, nobody
/// serving it, the engine's clock driven by the test and plc2's write queue executed by the test.
/// </summary>
public sealed class EngineRequestWithdrawalTests : IDisposable
{
    private const string Pair = "plc3Pump";
    private readonly TestPartition _partition = TestPartition.FromDemo(xml => xml.Replace(
        $"<requestAck name=\"{Pair}\" ", $"<requestAck name=\"{Pair}\" withdrawOnTimeout=\"true\" ", StringComparison.Ordinal));

    private readonly EngineClock _clock = new();
    private readonly List<FakeCollector> _plcs = [];

    private TimeSpan Timeout => _partition.Config.Sync!.RequestAcks[1].Timeout;

    private FakeCollector Requester => _plcs[1];

    private void StartPlcs(int requesterQueueCapacity = 64)
    {
        _plcs.Add(new FakeCollector(_partition, "plc1"));
        _plcs.Add(new FakeCollector(_partition, "plc2", requesterQueueCapacity));
        _plcs.Add(new FakeCollector(_partition, "plc3"));
        foreach (var plc in _plcs)
        {
            plc.SetInt16("heartbeat", 1);
            plc.Connect();
        }
    }

    private void Cycle(SyncEngine engine, TimeSpan? advance = null)
    {
        _clock.Advance(advance ?? TimeSpan.FromMilliseconds(50));
        engine.RunCycle(true, _clock.MonotonicNs, _clock.UnixNs);
    }

    /// <summary>Raises plc2's request and lets it time out; the pair is TimedOut afterwards.</summary>
    private void RequestAndTimeOut(SyncEngine engine, SyncSegmentView view)
    {
        Cycle(engine);
        Requester.SetBool("pumpRequest", true);
        Requester.Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Requested, view.RequestState(Pair));

        Cycle(engine, Timeout + TimeSpan.FromMilliseconds(1));
        Assert.Equal((byte)RequestAckState.TimedOut, view.RequestState(Pair));
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.TimedOut(Pair)));
    }

    private int RequestWrites() => Requester.Executed.Count(e => e.Tag == "pumpRequest");

    /// <summary>plc2's request as its segment shows it now.</summary>
    private bool RequestBit()
    {
        using var reader = SegmentReader.Open(_partition.SegmentDirectory, _partition.Name, "plc2");
        var snapshot = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(snapshot));
        return snapshot.GetBool(reader.Layout.IndexOf("pumpRequest"));
    }

    [Fact]
    public void TimedOutRequestIsClearedOnceCountedAndThePairReturnsToIdle()
    {
        StartPlcs();
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        using var view = new SyncSegmentView(_partition);
        RequestAndTimeOut(engine, view);

        // Further cycles before the collector executed it enqueue nothing more: one clearing write per timeout.
        Cycle(engine);
        Cycle(engine);
        Requester.Drain();
        Assert.Equal(1, RequestWrites());
        Assert.Equal(("pumpRequest", 0, 1), Requester.Executed.Single(e => e.Tag == "pumpRequest"));
        Assert.False(RequestBit());

        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Idle, view.RequestState(Pair));
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.Withdrawn(Pair)));
        Assert.Equal(0UL, view.Counter(SyncSegmentTags.Served(Pair)));

        // Nothing is written again, and the requester may ask again.
        Cycle(engine, TimeSpan.FromSeconds(2));
        Requester.Drain();
        Assert.Equal(1, RequestWrites());
        Requester.SetBool("pumpRequest", true);
        Requester.Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Requested, view.RequestState(Pair));
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.Withdrawn(Pair)));
    }

    [Fact]
    public void RefusedClearingWriteIsRetriedNextCycle()
    {
        // A one-record queue that the image write-back fills: the clearing write is refused until it drains.
        StartPlcs(requesterQueueCapacity: 1);
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        using var view = new SyncSegmentView(_partition);
        RequestAndTimeOut(engine, view);
        Assert.Equal(1, Requester.Pending);
        Cycle(engine);
        Assert.Equal(0, RequestWrites());

        Requester.Drain();
        Cycle(engine);
        Requester.Drain();
        Assert.Equal(1, RequestWrites());

        Cycle(engine);
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.Withdrawn(Pair)));
        Assert.Equal((byte)RequestAckState.Idle, view.RequestState(Pair));
    }

    [Fact]
    public void FailedClearingWriteIsRetriedAfterTheAttachInterval()
    {
        StartPlcs();
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        using var view = new SyncSegmentView(_partition);
        RequestAndTimeOut(engine, view);

        Requester.FailWith = IpcQuality.BadNotWritable;
        Requester.Drain();
        Requester.FailWith = null;
        Cycle(engine);
        Assert.Equal(0UL, view.Counter(SyncSegmentTags.Withdrawn(Pair)));
        Assert.Equal((byte)RequestAckState.TimedOut, view.RequestState(Pair));
        Requester.Drain();
        Assert.Equal(1, RequestWrites());

        Cycle(engine, new SyncEngineOptions().AttachRetryInterval);
        Requester.Drain();
        Assert.Equal(2, RequestWrites());
        Cycle(engine);
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.Withdrawn(Pair)));
        Assert.Equal((byte)RequestAckState.Idle, view.RequestState(Pair));
    }

    [Fact]
    public void RequestDroppedByTheRequesterBeforeSyncCouldWriteIsNotWrittenLater()
    {
        // The requester is disconnected at the timeout, so sync cannot write; it drops the request itself meanwhile.
        StartPlcs();
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        using var view = new SyncSegmentView(_partition);
        Cycle(engine);
        Requester.SetBool("pumpRequest", true);
        Requester.Commit();
        Cycle(engine);
        Requester.Disconnect();
        Cycle(engine, Timeout + TimeSpan.FromMilliseconds(1));
        Assert.Equal((byte)RequestAckState.TimedOut, view.RequestState(Pair));

        Requester.SetBool("pumpRequest", false);
        Requester.Connect();
        Cycle(engine);
        Cycle(engine, TimeSpan.FromSeconds(2));
        Requester.Drain();

        Assert.Equal(0, RequestWrites());
        Assert.Equal((byte)RequestAckState.Idle, view.RequestState(Pair));
        Assert.Equal(0UL, view.Counter(SyncSegmentTags.Withdrawn(Pair)));
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
