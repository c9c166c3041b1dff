using EdgePartition.Northbound.Tests.Support;

namespace EdgePartition.Northbound.Tests;

/// <summary>The edge node against Debian's Mosquitto, judged by the independent Node checker (Tahu's codec).</summary>
public sealed class SparkplugSessionTests
{
    [Fact]
    public async Task BirthsComeBeforeDataAndValuesEqualTheSegments()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var checker = await SparkplugChecker.StartAsync(broker);
        await using var rig = new PublisherRig("plc1", "plc2");
        rig.Devices[0].Cycle(1);
        rig.Devices[1].Cycle(5);
        rig.Start(PublisherRig.Config(broker, rig.Partition));

        var nbirth = await checker.WaitForMessageAsync("NBIRTH", includePast: true);
        Assert.Equal(0, (int)nbirth["seq"]!);
        await checker.WaitForMessageAsync("DBIRTH", "plc1", includePast: true);
        await checker.WaitForMessageAsync("DBIRTH", "plc2", includePast: true);

        rig.Devices[0].Cycle(2);
        rig.Devices[0].Cycle(3);
        await checker.WaitForMessageAsync("DDATA", "plc1", includePast: true, also: m => m["metrics"]!.AsArray().Any(x => (string?)x!["name"] == "Count" && (int)x["value"]! == -3000));

        var nodes = await checker.DumpAsync();
        var node = nodes[$"Plant/{rig.Partition}"]!;
        Assert.True((bool)node["born"]!);
        SegmentValues.AssertEqual(SegmentValues.Dump(rig.Directory, rig.Partition, "plc1"), node["devices"]!["plc1"]!["values"]!.AsObject());
        SegmentValues.AssertEqual(SegmentValues.Dump(rig.Directory, rig.Partition, "plc2"), node["devices"]!["plc2"]!["values"]!.AsObject());

        // DATA carries only what changed: after cycle 3 every tag changed, but an unchanged cycle sends nothing.
        var before = checker.Messages("DDATA").Count;
        rig.Devices[1].Cycle(5);
        rig.Devices[0].SetCount(7);
        await checker.WaitForMessageAsync("DDATA", "plc1", includePast: true, also: m => m["metrics"]!.AsArray().Count == 1 && (int)m["metrics"]![0]!["value"]! == 7);
        Assert.DoesNotContain(checker.Messages("DDATA").Skip(before), m => (string?)m["device"] == "plc2");
        Assert.Empty(checker.Violations);
    }

    [Fact]
    public async Task DeviceDownGivesDdeathAndItsReturnAFreshDbirth()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var checker = await SparkplugChecker.StartAsync(broker);
        await using var rig = new PublisherRig("plc1");
        rig.Devices[0].Cycle(1);
        rig.Start(PublisherRig.Config(broker, rig.Partition));
        await checker.WaitForMessageAsync("DBIRTH", "plc1", includePast: true);

        rig.Devices[0].SetConnected(false);
        await checker.WaitForMessageAsync("DDEATH", "plc1", includePast: true);
        rig.Devices[0].SetConnected(true);
        rig.Devices[0].Cycle(9);
        var rebirth = await checker.WaitForAsync(e => SparkplugChecker.Event(e) == "message" && (string?)e["type"] == "DBIRTH" && checker.Messages("DBIRTH").Count >= 2, "a second DBIRTH");
        Assert.Contains(rebirth["metrics"]!.AsArray(), m => (string?)m!["name"] == "Count" && (int)m["value"]! == -9000);
        Assert.Empty(checker.Violations);
    }

    [Fact]
    public async Task RebirthRequestResendsEveryBirthWithTheSameBdSeq()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var checker = await SparkplugChecker.StartAsync(broker);
        await using var rig = new PublisherRig("plc1");
        rig.Devices[0].Cycle(1);
        rig.Start(PublisherRig.Config(broker, rig.Partition));
        var first = await checker.WaitForMessageAsync("NBIRTH", includePast: true);
        await checker.WaitForMessageAsync("DBIRTH", "plc1", includePast: true);

        await checker.SendAsync(new { cmd = "rebirth", group = "Plant", node = rig.Partition });
        await checker.WaitForAsync(_ => checker.Messages("DBIRTH").Count >= 2, "a DBIRTH after the rebirth");
        var births = checker.Messages("NBIRTH");
        Assert.Equal(2, births.Count);
        Assert.Equal((long)first["bdSeq"]!, (long)births[1]["bdSeq"]!);
        Assert.Equal(0, (int)births[1]["seq"]!);
        Assert.Empty(checker.Violations);
    }

    [Fact]
    public async Task PrimaryHostStateGatesBirthsAndItsAbsenceIsStoredAsHistory()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var checker = await SparkplugChecker.StartAsync(broker);
        await using var rig = new PublisherRig("plc1");
        rig.Devices[0].Cycle(1);
        var config = new EdgePartition.Config.NorthboundConfig
        {
            Brokers = PublisherRig.Config(broker, rig.Partition).Brokers,
            GroupId = "Plant",
            EdgeNodeId = rig.Partition,
            ClientId = "edgepart-host-test",
            PrimaryHostId = "scada",
            ReconnectMin = TimeSpan.FromMilliseconds(100),
            ReconnectMax = TimeSpan.FromMilliseconds(300),
            Store = new EdgePartition.Config.StoreAndForwardConfig { ReplayPerSecond = 2000 },
        };
        var bornBefore = checker.Messages("NBIRTH").Count;
        rig.Start(config);
        await Eventually.PollAsync(() => rig.Logger.Lines.Any(l => l.Contains("Connected to", StringComparison.Ordinal)), "the publisher connected");
        Assert.Equal(bornBefore, checker.Messages("NBIRTH").Count);

        await checker.SendAsync(new { cmd = "publish", topic = "spBv1.0/STATE/scada", text = "{\"online\":true,\"timestamp\":1000}", retain = true, qos = 1 });
        await checker.WaitForAsync(_ => checker.Messages("DBIRTH").Count > bornBefore, "births once the host is online");

        await checker.SendAsync(new { cmd = "publish", topic = "spBv1.0/STATE/scada", text = "{\"online\":false,\"timestamp\":2000}", retain = true, qos = 1 });
        await checker.WaitForAsync(_ => checker.Messages("NDEATH").Count >= 1, "NDEATH when the host goes offline");
        await Eventually.PollAsync(() => rig.Logger.Lines.Count(l => l.Contains("Connected to", StringComparison.Ordinal)) >= 2, "reconnected, waiting for the host");
        for (var i = 1; i <= 20; i++)
        {
            rig.Devices[0].SetCount(i);
            await Eventually.PollAsync(() => rig.Counters.StoredMessages >= i, $"change {i} stored");
        }

        // The older form of STATE counts too.
        await checker.SendAsync(new { cmd = "publish", topic = "STATE/scada", text = "ONLINE", retain = false, qos = 1 });
        await checker.WaitForAsync(
            _ => checker.Messages("DDATA").Count(m => m["metrics"]!.AsArray().All(x => (bool)x!["historical"]!)) >= 20,
            "the 20 stored changes replayed as history");
        var history = checker.Messages("DDATA").Where(m => m["metrics"]!.AsArray().All(x => (bool)x!["historical"]!)).Select(m => (int)m["metrics"]![0]!["value"]!).ToList();
        Assert.Equal(Enumerable.Range(1, 20), history);
        Assert.Empty(checker.Violations);
    }
}
