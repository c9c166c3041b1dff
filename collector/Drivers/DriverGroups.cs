using EdgePartition.Collector.Layout;

namespace EdgePartition.Collector.Drivers;

/// <summary>The tag mappings of each poll group, in poll-group order (tags are laid out group by group).</summary>
internal static class DriverGroups
{
    public static TagMapping[][] Build(DeviceLayout layout)
    {
        var groups = layout.Device.PollGroups;
        var result = new TagMapping[groups.Count][];
        var next = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var tags = new TagMapping[groups[g].Tags.Count];
            for (var t = 0; t < tags.Length; t++)
            {
                tags[t] = layout.Tags[next++];
            }

            result[g] = tags;
        }

        return result;
    }
}
