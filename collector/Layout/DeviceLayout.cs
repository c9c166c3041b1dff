using EdgePartition.Config;
using EdgePartition.Config.Layout;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Layout;

/// <summary>
/// The segment layout of one device and the mapping of each configured tag to its slot, built from the config.
/// Tag order in the segment is the config's tag order, so tag indices are stable for a given configuration.
/// </summary>
internal sealed class DeviceLayout
{
    private DeviceLayout(DeviceConfig device, SegmentLayout segment, TagMapping[] tags)
    {
        Device = device;
        Segment = segment;
        Tags = tags;
    }

    public DeviceConfig Device { get; }

    public SegmentLayout Segment { get; }

    /// <summary>One mapping per tag, indexed like the segment's tag table.</summary>
    public IReadOnlyList<TagMapping> Tags { get; }

    public static DeviceLayout Build(DeviceConfig device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var configTags = device.Tags;
        var mappings = new TagMapping[configTags.Count];
        var descriptors = new TagDescriptor[configTags.Count];
        for (var i = 0; i < configTags.Count; i++)
        {
            mappings[i] = Map(i, device.Protocol, configTags[i]);
            descriptors[i] = mappings[i].ToDescriptor();
        }

        return new DeviceLayout(device, SegmentLayout.Create(descriptors), mappings);
    }

    private static TagMapping Map(int index, Protocol protocol, TagConfig tag)
    {
        var shape = TagSlotShape.Of(protocol, tag);
        return new TagMapping(index, tag, shape.Type, shape.ElementCount, shape.MaxLength, shape.IsScaled);
    }
}
