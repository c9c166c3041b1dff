using EdgePartition.Collector.Workers;
using EdgePartition.Config;

namespace EdgePartition.Collector.Service;

/// <summary>What one collector process runs: the devices of <see cref="Protocol"/> in <see cref="Partition"/>.</summary>
public sealed record CollectorSettings(PartitionConfig Partition, Protocol Protocol)
{
    public DeviceWorkerOptions Workers { get; init; } = new();

    /// <summary>The devices this collector runs, in config order.</summary>
    public IReadOnlyList<DeviceConfig> Devices()
    {
        var devices = new List<DeviceConfig>();
        foreach (var device in Partition.Devices)
        {
            if (device.Protocol == Protocol)
            {
                devices.Add(device);
            }
        }

        return devices;
    }
}
