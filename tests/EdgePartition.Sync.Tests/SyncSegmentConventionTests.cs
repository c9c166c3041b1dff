using EdgePartition.Ipc;
using EdgePartition.Sync.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Sync.Tests;

/// <summary>The sync segment's tags are the names and types consumers read it by.</summary>
public sealed class SyncSegmentConventionTests : IDisposable
{
    private readonly TestPartition _partition = TestPartition.FromDemo();

    [Fact]
    public void SyncSegmentCarriesTheConventionalTags()
    {
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        engine.RunCycle(true, 1_000_000_000, UnixTime.NowNs());
        using var view = new SyncSegmentView(_partition);
        var expected = new Dictionary<string, IpcDataType>
        {
            ["heartbeat"] = IpcDataType.UInt64,
            ["image"] = IpcDataType.UInt8,
            ["alive.plc2"] = IpcDataType.Bool,
            ["stale_since.plc2"] = IpcDataType.DateTime,
            ["request.plc2Pump.state"] = IpcDataType.UInt8,
            ["request.plc2Pump.requested_at"] = IpcDataType.DateTime,
            ["request.plc2Pump.executed_at"] = IpcDataType.DateTime,
            ["request.plc2Pump.acknowledged_at"] = IpcDataType.DateTime,
            ["request.plc2Pump.served"] = IpcDataType.UInt64,
            ["request.plc2Pump.timed_out"] = IpcDataType.UInt64,
            ["request.plc2Pump.withdrawn"] = IpcDataType.UInt64,
        };
        foreach (var (name, type) in expected)
        {
            Assert.True(view.Layout.TryGetIndex(name, out var index), $"missing tag {name}");
            Assert.Equal(type, view.Layout.Tag(index).DataType);
        }

        Assert.Equal(100, view.Layout.Tag(view.Layout.IndexOf("image")).ArrayLength);
        var snapshot = view.Read();
        Assert.Equal(ConnectionState.Connected, snapshot.Status.State);
        Assert.Equal(1UL, snapshot.Status.CycleCount);
    }

    [Fact]
    public void SecondSyncOfThePartitionIsRefused()
    {
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        Assert.Throws<SegmentLeaseException>(() => new SyncEngine(_partition.Config, NullLogger.Instance));
    }

    public void Dispose() => _partition.Dispose();
}
