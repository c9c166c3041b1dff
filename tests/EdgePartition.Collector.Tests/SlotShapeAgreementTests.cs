using EdgePartition.Collector.Layout;
using EdgePartition.Config;
using EdgePartition.Consumers.Endpoints;

namespace EdgePartition.Collector.Tests;

/// <summary>
/// Guard: the endpoints build their address maps from the config before any segment exists, so for every tag they
/// expose they must predict exactly the slot the collector lays out.
/// </summary>
public sealed class SlotShapeAgreementTests
{
    [Theory]
    [InlineData("examples/all-protocols.xml")]
    [InlineData("demo/demo.xml")]
    [InlineData("three-plc-sync/three-plc-sync.xml")]
    public void EndpointShapesMatchTheCollectorLayoutForEveryExampleTag(string example)
    {
        var config = PartitionConfigLoader.Load(RepoPaths.Combine("config", "xml", example));
        var compared = 0;
        foreach (var device in config.Devices)
        {
            var layout = DeviceLayout.Build(device);
            for (var i = 0; i < device.Tags.Count; i++)
            {
                if (SegmentTagTypes.Of(device.Protocol, device.Tags[i]) is not { } shape)
                {
                    continue;
                }

                var slot = layout.Tags[i];
                var where = $"{device.Name}.{slot.Config.Name} ({slot.Config.DataType})";
                Assert.True(slot.SegmentType == shape.Type, $"{where}: collector {slot.SegmentType}, endpoints {shape.Type}");
                Assert.True(slot.ArrayLength == shape.ElementCount, $"{where}: collector {slot.ArrayLength} elements, endpoints {shape.ElementCount}");
                Assert.True(slot.MaxLength == shape.MaxLength, $"{where}: collector {slot.MaxLength} bytes, endpoints {shape.MaxLength}");
                compared++;
            }
        }

        Assert.True(compared > 0, $"{example} has no tag the endpoints expose");
    }

    [Fact]
    public void TheFullExampleCoversEveryProtocol()
    {
        var config = PartitionConfigLoader.Load(RepoPaths.Combine("config", "xml", "examples", "all-protocols.xml"));
        var protocols = config.Devices.Select(d => d.Protocol).Distinct().Order().ToArray();
        Assert.Equal(Enum.GetValues<Protocol>().Order().ToArray(), protocols);
    }
}
