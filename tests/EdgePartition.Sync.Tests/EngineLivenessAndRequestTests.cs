using EdgePartition.Ipc;
using EdgePartition.Sync.Requests;
using EdgePartition.Sync.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Sync.Tests;

/// <summary>Device heartbeat watch, alive flags and request/ack tracking, with the engine's clock driven by the test.</summary>
public sealed class EngineLivenessAndRequestTests : IDisposable
{
    private const int AliveFlagsByte = 98;
    private readonly TestPartition _partition = TestPartition.FromDemo();
    private readonly EngineClock _clock = new();
    private readonly FakeCollector[] _plcs;

    public EngineLivenessAndRequestTests()
    {
        _plcs = [new FakeCollector(_partition, "plc1"), new FakeCollector(_partition, "plc2"), new FakeCollector(_partition, "plc3")];
        foreach (var plc in _plcs)
        {
            plc.Connect();
        }
    }

    private SyncEngine StartEngine() => new(_partition.Config, NullLogger.Instance);

    private void Cycle(SyncEngine engine, TimeSpan? advance = null)
    {
        _clock.Advance(advance ?? TimeSpan.FromMilliseconds(50));
        engine.RunCycle(true, _clock.MonotonicNs, _clock.UnixNs);
    }

    private void BeatAll(short value)
    {
        foreach (var plc in _plcs)
        {
            plc.SetInt16("heartbeat", value);
            plc.Commit();
        }
    }

    [Fact]
    public void DeviceWhoseHeartbeatStopsIsStaleUntilItMovesAgain()
    {
        using var engine = StartEngine();
        using var view = new SyncSegmentView(_partition);
        BeatAll(1);
        Cycle(engine);
        Assert.Equal(0b111, engine.Image[AliveFlagsByte]);

        // plc2's heartbeat stops; the others keep beating past plc2's 3 s timeout.
        for (short beat = 2; beat < 40; beat++)
        {
            _plcs[0].SetInt16("heartbeat", beat);
            _plcs[0].Commit();
            _plcs[2].SetInt16("heartbeat", beat);
            _plcs[2].Commit();
            Cycle(engine, TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(0b101, engine.Image[AliveFlagsByte]);
        Assert.False(view.Alive("plc2"));
        Assert.True(view.Alive("plc1"));
        Assert.Equal(IpcQuality.BadTimeout, view.Quality("plc2"));
        Assert.InRange(view.StaleSince("plc2"), 1, _clock.UnixNs);
        Assert.Equal(0, view.StaleSince("plc1"));

        _plcs[1].SetInt16("heartbeat", 99);
        _plcs[1].Commit();
        Cycle(engine);
        Assert.Equal(0b111, engine.Image[AliveFlagsByte]);
        Assert.True(view.Alive("plc2"));
        Assert.Equal(0, view.StaleSince("plc2"));
        Assert.Equal(IpcQuality.Good, view.Quality("plc2"));
    }

    [Fact]
    public void DisconnectedDeviceLosesItsAliveFlagAtOnce()
    {
        using var engine = StartEngine();
        using var view = new SyncSegmentView(_partition);
        BeatAll(1);
        Cycle(engine);

        _plcs[2].Disconnect();
        Cycle(engine);

        Assert.Equal(0b011, engine.Image[AliveFlagsByte]);
        Assert.False(view.Alive("plc3"));
        Assert.Equal(IpcQuality.BadNotConnected, view.Quality("plc3"));
        Assert.Equal(IpcQuality.UncertainLastUsableValue, view.Read().GetQuality(view.Layout.IndexOf(SyncSegmentTags.Image)));
    }

    [Fact]
    public void DeviceWhoseCollectorStoppedIsNotAlive()
    {
        using var engine = StartEngine();
        using var view = new SyncSegmentView(_partition);
        BeatAll(1);
        Cycle(engine);

        _plcs[0].Dispose();
        Cycle(engine, TimeSpan.FromSeconds(1));

        Assert.False(view.Alive("plc1"));
        Assert.Equal(0b110, engine.Image[AliveFlagsByte]);
    }

    [Fact]
    public void RequestIsExecutedAcknowledgedAndCountedAsServed()
    {
        using var engine = StartEngine();
        using var view = new SyncSegmentView(_partition);
        BeatAll(1);
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Idle, view.RequestState("plc2Pump"));

        _plcs[0].SetBool("pumpRequest", true);
        _plcs[0].SetBool("pumpAck", false);
        _plcs[0].Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Requested, view.RequestState("plc2Pump"));
        var requestedAt = view.Time(SyncSegmentTags.RequestedAt("plc2Pump"));
        Assert.Equal(_clock.UnixNs, requestedAt);

        _plcs[1].SetBool("pumpState", true);
        _plcs[1].Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Executed, view.RequestState("plc2Pump"));

        _plcs[0].SetBool("pumpAck", true);
        _plcs[0].Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Acknowledged, view.RequestState("plc2Pump"));
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.Served("plc2Pump")));
        Assert.Equal(0UL, view.Counter(SyncSegmentTags.TimedOut("plc2Pump")));
        var executedAt = view.Time(SyncSegmentTags.ExecutedAt("plc2Pump"));
        var acknowledgedAt = view.Time(SyncSegmentTags.AcknowledgedAt("plc2Pump"));
        Assert.True(requestedAt < executedAt && executedAt < acknowledgedAt);
    }

    [Fact]
    public void RequestNobodyServesTimesOutAndWithoutWithdrawOnTimeoutIsNeverWritten()
    {
        using var engine = StartEngine();
        using var view = new SyncSegmentView(_partition);
        BeatAll(1);
        Cycle(engine);

        _plcs[1].SetBool("pumpRequest", true);
        _plcs[1].Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Requested, view.RequestState("plc3Pump"));

        Cycle(engine, _partition.Config.Sync!.RequestAcks[1].Timeout + TimeSpan.FromMilliseconds(1));
        Assert.Equal((byte)RequestAckState.TimedOut, view.RequestState("plc3Pump"));
        Assert.Equal(1UL, view.Counter(SyncSegmentTags.TimedOut("plc3Pump")));
        Assert.Equal(0UL, view.Counter(SyncSegmentTags.Served("plc3Pump")));

        // Sync only tracks this pair: the request stays as the requester left it and the pair stays timed out.
        Cycle(engine, TimeSpan.FromSeconds(2));
        _plcs[1].Drain();
        Cycle(engine);
        Assert.DoesNotContain(_plcs[1].Executed, e => e.Tag == "pumpRequest");
        Assert.Equal((byte)RequestAckState.TimedOut, view.RequestState("plc3Pump"));
        Assert.Equal(0UL, view.Counter(SyncSegmentTags.Withdrawn("plc3Pump")));
    }

    [Fact]
    public void AckLeftOverFromTheLastRoundDoesNotServeANewRequest()
    {
        using var engine = StartEngine();
        using var view = new SyncSegmentView(_partition);
        BeatAll(1);
        _plcs[2].SetBool("pumpAck", true);
        _plcs[2].Commit();
        Cycle(engine);

        _plcs[2].SetBool("pumpRequest", true);
        _plcs[2].Commit();
        _plcs[0].SetBool("pumpState", true);
        _plcs[0].Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Executed, view.RequestState("plc1Pump"));

        _plcs[2].SetBool("pumpAck", false);
        _plcs[2].Commit();
        Cycle(engine);
        _plcs[2].SetBool("pumpAck", true);
        _plcs[2].Commit();
        Cycle(engine);
        Assert.Equal((byte)RequestAckState.Acknowledged, view.RequestState("plc1Pump"));
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
