namespace EdgePartition.Config;

/// <summary>
/// A whole partition as loaded and checked by <see cref="PartitionConfigLoader"/>: every path is absolute, every
/// default is filled in and every sync offset is resolved, so the processes never interpret the XML themselves.
/// </summary>
public sealed class PartitionConfig
{
    /// <summary>Partition name ([A-Za-z0-9_-]{1,48}); part of every segment file name.</summary>
    public required string Name { get; init; }

    /// <summary>Directory of the segment files, default /dev/shm.</summary>
    public string SegmentDirectory { get; init; } = DefaultSegmentDirectory;

    /// <summary>Absolute path of the partition file this was loaded from (empty for a model built in code).</summary>
    public string SourcePath { get; init; } = "";

    /// <summary>The included endpoint files in include order, each with its devices.</summary>
    public required IReadOnlyList<EndpointFileConfig> EndpointFiles { get; init; }

    /// <summary>Every device of the partition in config order (include order, then file order).</summary>
    public IReadOnlyList<DeviceConfig> Devices => _devices ??= FlattenDevices(EndpointFiles);

    /// <summary>Merge rules; null when the partition only collects.</summary>
    public SyncConfig? Sync { get; init; }

    public ConsumersConfig Consumers { get; init; } = new();

    public LoggingConfig Logging { get; init; } = new();

    public RealtimeConfig Realtime { get; init; } = new();

    /// <summary>The Sparkplug B publisher; null when the file has no &lt;northbound&gt;.</summary>
    public NorthboundConfig? Northbound { get; init; }

    public const string DefaultSegmentDirectory = "/dev/shm";

    private IReadOnlyList<DeviceConfig>? _devices;

    /// <summary>The device with this name (names are case-sensitive), or null.</summary>
    public DeviceConfig? FindDevice(string name)
    {
        foreach (var device in Devices)
        {
            if (device.Name == name)
            {
                return device;
            }
        }

        return null;
    }

    /// <summary>The device with this name; throws when there is none (the loader has checked every reference).</summary>
    public DeviceConfig GetDevice(string name) =>
        FindDevice(name) ?? throw new KeyNotFoundException($"partition '{Name}' has no device '{name}'");

    private static DeviceConfig[] FlattenDevices(IReadOnlyList<EndpointFileConfig> files)
    {
        var devices = new List<DeviceConfig>();
        foreach (var file in files)
        {
            devices.AddRange(file.Devices);
        }

        return [.. devices];
    }
}
