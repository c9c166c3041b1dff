using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Northbound.Sparkplug;

namespace EdgePartition.Northbound.Publishing;

/// <summary>Which tags of a device's segment layout are published, by the &lt;publish&gt; and &lt;allowWrite&gt; rules.</summary>
internal static class DeviceMetrics
{
    public static MetricInfo[] Plan(NorthboundConfig config, int deviceIndex, string device, SegmentLayout layout, out List<string> skipped)
    {
        skipped = [];
        var metrics = new List<MetricInfo>(layout.TagCount);
        for (var i = 0; i < layout.TagCount; i++)
        {
            var tag = layout.Tag(i);
            if (!IsPublished(config, device, tag.Name, out var deadband))
            {
                continue;
            }

            var type = SparkplugTypes.Of(tag);
            if (type == SparkplugDataType.Unknown)
            {
                skipped.Add(tag.Name);
                continue;
            }

            var allowed = tag.Writable && config.AllowWrites.Any(r => NameMatch(r.Device, device) && NameMatch(r.Tags, tag.Name));
            metrics.Add(new MetricInfo(i, tag, layout.Slot(i), tag.Name, type, ((ulong)deviceIndex << 16) + (ulong)i + 1, deadband, allowed));
        }

        return [.. metrics];
    }

    public static bool IsDevicePublished(NorthboundConfig config, string device) =>
        config.Publish.Count == 0 || config.Publish.Any(r => NameMatch(r.Device, device));

    private static bool IsPublished(NorthboundConfig config, string device, string tag, out double deadband)
    {
        deadband = 0;
        if (config.Publish.Count == 0)
        {
            return true;
        }

        foreach (var rule in config.Publish)
        {
            if (NameMatch(rule.Device, device) && NameMatch(rule.Tags, tag))
            {
                deadband = rule.Deadband;
                return true;
            }
        }

        return false;
    }

    private static bool NameMatch(string pattern, string name) => NamePattern.Matches(pattern, name);
}
