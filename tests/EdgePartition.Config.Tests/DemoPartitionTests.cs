using EdgePartition.S7;

namespace EdgePartition.Config.Tests;

/// <summary>The demo partition loads with exactly the layout config/README.md documents (the demo logic relies on it).</summary>
public sealed class DemoPartitionTests
{
    private static readonly string DemoPath = RepoPaths.Combine("config", "xml", "demo", "demo.xml");

    [Fact]
    public void LoadsThreePlcsWithTheDocumentedAddresses()
    {
        var config = PartitionConfigLoader.Load(DemoPath);

        Assert.Equal("demo", config.Name);
        Assert.Equal("/dev/shm", config.SegmentDirectory);
        Assert.Equal(["plc1", "plc2", "plc3"], config.Devices.Select(d => d.Name));
        for (var i = 0; i < 3; i++)
        {
            var device = config.Devices[i];
            Assert.Equal(Protocol.S7, device.Protocol);
            Assert.Equal("127.0.0.1", device.S7.Host);
            Assert.Equal(11021 + i, device.S7.Port);
            Assert.Equal((0, 1), (device.S7.Rack, device.S7.Slot));
            Assert.Equal(TimeSpan.FromMilliseconds(100), Assert.Single(device.PollGroups).CycleTime);

            var sendTag = device.GetTag("send");
            var send = sendTag.S7Address!.Value;
            Assert.Equal((S7Area.DB, 100, 0, 32), (send.Area, send.DbNumber, send.Offset, sendTag.ByteLength));
            Assert.Equal((100, 0, -1), Field(device, "heartbeat"));
            Assert.Equal((100, 2, 0), Field(device, "pumpRequest"));
            Assert.Equal((100, 2, 1), Field(device, "pumpAck"));
            Assert.Equal((100, 2, 2), Field(device, "pumpState"));
            Assert.Equal((100, 4, -1), Field(device, "speed"));
            Assert.Equal((100, 6, -1), Field(device, "counter"));
            Assert.Equal((100, 8, -1), Field(device, "temperature"));
            Assert.Equal((100, 12, -1), Field(device, "level"));
            var receive = device.GetTag("receive");
            Assert.True(receive.Writable);
            Assert.Equal((200, 0, 100), (receive.S7Address!.Value.DbNumber, receive.S7Address.Value.Offset, receive.ByteLength));
        }
    }

    [Fact]
    public void ResolvesTheDocumentedImageLayout()
    {
        var sync = PartitionConfigLoader.Load(DemoPath).Sync!;

        Assert.Equal(100, sync.ImageSize);
        Assert.Equal(TimeSpan.FromMilliseconds(50), sync.CycleTime);
        Assert.Equal(TimeSpan.FromSeconds(5), sync.FullRefreshInterval);
        Assert.Equal([("plc1", 0, 32), ("plc2", 32, 32), ("plc3", 64, 32)], sync.Contributions.Select(c => (c.Device, c.ImageOffset, c.ByteLength)));
        Assert.All(sync.Contributions, c => Assert.Equal(SyncContributionKind.Block, c.Kind));
        Assert.Equal((96, 256), (sync.ServerHeartbeat!.ImageOffset, sync.ServerHeartbeat.Modulo));
        Assert.Equal(98, sync.AliveFlags!.ImageOffset);
        Assert.Equal(["plc1", "plc2", "plc3"], sync.AliveFlags.Devices);
        Assert.Equal(["plc1", "plc2", "plc3"], sync.Receivers.Select(r => r.Device));
        Assert.All(sync.Receivers, r => Assert.Equal("receive", r.Tag));
        Assert.All(sync.DeviceHeartbeats, h => Assert.Equal(TimeSpan.FromSeconds(3), h.Timeout));
        Assert.Equal([("plc2Pump", "plc1", "plc2"), ("plc3Pump", "plc2", "plc3"), ("plc1Pump", "plc3", "plc1")], sync.RequestAcks.Select(p => (p.Name, p.RequesterDevice, p.ExecutorDevice)));
    }

    [Fact]
    public void ServesHttpOnLoopbackPort8480()
    {
        var http = PartitionConfigLoader.Load(DemoPath).Consumers.Http!;

        Assert.Equal(("127.0.0.1", 8480, null), (http.BindAddress, http.Port, http.BearerToken));
    }

    private static (int Db, int Byte, int Bit) Field(DeviceConfig device, string tag)
    {
        var address = device.GetTag(tag).S7Address!.Value;
        return (address.DbNumber, address.Offset, address.IsBit ? address.Bit : -1);
    }
}
