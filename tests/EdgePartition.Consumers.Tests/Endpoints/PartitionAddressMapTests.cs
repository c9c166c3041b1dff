using EdgePartition.Consumers.Endpoints;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Tests.Endpoints;

public sealed class PartitionAddressMapTests
{
    [Fact]
    public void S7MapPutsImageInDb1AndDevicesFromDb1001InTagOrder()
    {
        using var partition = new EndpointPartition(readOnly: true);
        var map = PartitionAddressMap.Build(partition.Config, EndpointProtocol.S7);

        Assert.Equal([1, 1001, 1002], map.Blocks.Select(b => b.Number));
        Assert.Equal(("sync", 48), (map.Blocks[0].Segment, map.Blocks[0].Length));
        var plc = map.Blocks[1];
        Assert.Equal("plc1", plc.Segment);

        // The image is plc1's block at its own offsets: share at byte 40, 8 bytes, so 48 bytes.
        // Each tag at an even offset, BOOL one byte, STRING[8] = 10 bytes, the scaled INT as an LREAL.
        Assert.Equal(
            [("counter", 0, 4), ("speed", 4, 4), ("running", 8, 1), ("level", 10, 8), ("setpoint", 18, 2), ("levels", 20, 8),
             ("batch", 28, 10), ("share", 38, 8), ("enable", 46, 1)],
            plc.Tags.Select(t => (t.Name, t.Offset, t.Length)));
        Assert.Equal(48, plc.Length);
        Assert.Equal(IpcDataType.Float64, plc.Tags[3].SegmentType);
        Assert.Empty(map.Unmapped);
        Assert.Contains("DB1001.DBB18", map.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ModbusMapPutsImageAtRegister0AndDevicesEveryThousandRegisters()
    {
        using var partition = new EndpointPartition(readOnly: true);
        var map = PartitionAddressMap.Build(partition.Config, EndpointProtocol.Modbus);

        Assert.Equal([0, 1000, 2000], map.Blocks.Select(b => b.Number));
        Assert.Equal(24, map.Blocks[0].RegisterCount);
        var plc = map.Blocks[1];

        // Whole registers per tag: BOOL one register, STRING[8] four registers without a header.
        Assert.Equal(
            [("counter", 0, 4), ("speed", 4, 4), ("running", 8, 2), ("level", 10, 8), ("setpoint", 18, 2), ("levels", 20, 8),
             ("batch", 28, 8), ("share", 36, 8), ("enable", 44, 2)],
            plc.Tags.Select(t => (t.Name, t.Offset, t.Length)));
        Assert.Same(plc, map.FindBlock(1022));
        Assert.Null(map.FindBlock(1023));
        Assert.Same(map.Blocks[2], map.FindBlock(2001));
    }
}
