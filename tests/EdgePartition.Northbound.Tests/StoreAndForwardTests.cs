using EdgePartition.Config;
using EdgePartition.Northbound.Tests.Support;

namespace EdgePartition.Northbound.Tests;

/// <summary>Store and forward: the broker goes away under load, comes back, and the stored changes arrive as history.</summary>
public sealed class StoreAndForwardTests
{
    [Fact]
    public async Task BrokerOutageChangesArriveInOrderAsHistoryThenLiveResumes()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var checker = await SparkplugChecker.StartAsync(broker, session: $"checker-{Guid.NewGuid():N}");
        await using var rig = new PublisherRig("plc1");
        rig.Devices[0].Cycle(1);
        rig.Start(PublisherRig.Config(broker, rig.Partition));
        await checker.WaitForMessageAsync("DBIRTH", "plc1", includePast: true);

        await broker.StopAsync();
        await Eventually.PollAsync(() => rig.Logger.Lines.Any(l => l.Contains("session lost", StringComparison.Ordinal)), "the publisher saw the broker go");
        const int Changes = 300;
        for (var i = 1; i <= Changes; i++)
        {
            rig.Devices[0].SetCount(i);
            var stored = i;
            await Eventually.PollAsync(() => rig.Counters.StoredMessages >= stored, $"change {stored} stored");
        }

        var storedBeforeRestart = rig.Counters.StoredMessages;
        await broker.StartAgainAsync();
        await Eventually.PollAsync(() => rig.Counters.ReplayedMessages >= rig.Counters.StoredMessages && rig.Counters.Sessions >= 2, "the store replayed");
        await checker.WaitForMessageAsync("DDATA", "plc1", includePast: true, also: m => m["metrics"]!.AsArray().Any(x => (bool)x!["historical"]! && (int)x["value"]! == Changes));
        var history = checker.Messages("DDATA").Where(m => m["metrics"]!.AsArray().All(x => (bool)x!["historical"]!))
            .Select(m => (int)m["metrics"]![0]!["value"]!).ToList();

        // The checker's persistent session and queue_qos0_messages keep what was published before it reconnected.
        Assert.Equal(rig.Counters.StoredMessages, history.Count);
        Assert.True(history.Count >= storedBeforeRestart);
        Assert.Equal(history.Order(), history);
        Assert.Equal(Changes, history[^1]);
        Assert.Equal(0, rig.Counters.DroppedHistorical);

        rig.Devices[0].SetCount(Changes + 1);
        await checker.WaitForMessageAsync("DDATA", "plc1", includePast: true, also: m => m["metrics"]!.AsArray().Any(x => !(bool)x!["historical"]! && (int)x["value"]! == Changes + 1));
        Assert.Empty(checker.Violations);
    }

    [Fact]
    public async Task StoreTooSmallDropsTheOldestAndCountsThem()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var checker = await SparkplugChecker.StartAsync(broker, session: $"checker-{Guid.NewGuid():N}");
        await using var rig = new PublisherRig("plc1");
        rig.Devices[0].Cycle(1);
        var config = PublisherRig.Config(broker, rig.Partition);
        rig.Start(new NorthboundConfig
        {
            Brokers = config.Brokers,
            GroupId = config.GroupId,
            EdgeNodeId = config.EdgeNodeId,
            ClientId = config.ClientId,
            ReconnectMin = config.ReconnectMin,
            ReconnectMax = config.ReconnectMax,
            Store = new StoreAndForwardConfig { MaxBytes = 600, ReplayPerSecond = 5000 },
        });
        await Eventually.PollAsync(() => rig.Counters.Births >= 1, "the first births");
        await broker.StopAsync();
        await Eventually.PollAsync(() => rig.Logger.Lines.Any(l => l.Contains("session lost", StringComparison.Ordinal)), "the publisher saw the broker go");
        for (var i = 1; i <= 200; i++)
        {
            rig.Devices[0].SetCount(i);
            var stored = i;
            await Eventually.PollAsync(() => rig.Counters.StoredMessages >= stored, $"change {stored} stored");
        }

        await Eventually.PollAsync(() => rig.Counters.DroppedHistorical > 0, "the oldest dropped");
        await broker.StartAgainAsync();
        await Eventually.PollAsync(() => rig.Counters.Sessions >= 2 && rig.Counters.ReplayedMessages + rig.Counters.DroppedHistorical >= rig.Counters.StoredMessages, "what is left replayed");
        await checker.WaitForMessageAsync("DDATA", "plc1", includePast: true, also: m => m["metrics"]!.AsArray().Any(x => (bool)x!["historical"]! && (int)x["value"]! == 200));
        var history = checker.Messages("DDATA").Where(m => m["metrics"]!.AsArray().All(x => (bool)x!["historical"]!)).Select(m => (int)m["metrics"]![0]!["value"]!).ToList();

        // Stored = replayed + dropped, nothing lost silently; what survives is the newest, in order.
        Assert.Equal(rig.Counters.StoredMessages, history.Count + rig.Counters.DroppedHistorical);
        Assert.Equal(history.Order(), history);
        Assert.Equal(200, history[^1]);
        Assert.Empty(checker.Violations);
    }
}
