using EdgePartition.Config;
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
        var (type, maxLength) = protocol switch
        {
            Protocol.S7 => S7TypeMap.ToSegment(tag),
            Protocol.Modbus => ModbusTypeMap.ToSegment(tag),
            Protocol.Sim => SimTypeMap.ToSegment(tag),
            Protocol.OpcUa => Drivers.OpcUaTypeMap.ToSegment(tag),
            _ => throw new NotSupportedException($"tag '{tag.Name}': the {protocol} protocol has no collector driver"),
        };

        if (type == IpcDataType.Bytes)
        {
            // A send/receive block is one value: its bytes, exactly as in the PLC.
            return new TagMapping(index, tag, type, 1, maxLength, IsScaled: false);
        }

        var scaled = TagMapping.NeedsScaling(tag) && IsNumeric(type);
        return new TagMapping(index, tag, scaled ? IpcDataType.Float64 : type, tag.ArrayLength, maxLength, scaled);
    }

    private static bool IsNumeric(IpcDataType type) => type is >= IpcDataType.Int8 and <= IpcDataType.Float64;
}
