using EdgePartition.Config;

namespace EdgePartition.Consumers.Partition;

/// <summary>Whether a source is a device's segment or the sync process's segment.</summary>
public enum SourceKind
{
    Device,
    Sync,
}

/// <summary>One segment the consumers watch: a device (written by its collector) or the sync segment.</summary>
/// <param name="Name">Device name, or "sync"; the segment is <c>edgepart.&lt;partition&gt;.&lt;Name&gt;</c>.</param>
/// <param name="Protocol">"s7", "modbus", "opcua", "sim"; "sync" for the sync segment.</param>
public sealed record SourcePlan(string Name, SourceKind Kind, string Protocol);

/// <summary>What the consumers attach to: the partition's name, where its segments live, and its sources.</summary>
public sealed record PartitionPlan(string Name, string SegmentDirectory, IReadOnlyList<SourcePlan> Sources)
{
    /// <summary>The name of the sync segment (and of its source), by convention.</summary>
    public const string SyncName = "sync";

    /// <summary>Every device of the partition file, then the sync segment when the file has sync rules.</summary>
    public static PartitionPlan FromConfig(PartitionConfig config)
    {
        var sources = new List<SourcePlan>(config.Devices.Count + 1);
        foreach (var device in config.Devices)
        {
            sources.Add(new SourcePlan(device.Name, SourceKind.Device, ProtocolName(device.Protocol)));
        }

        if (config.Sync is not null)
        {
            sources.Add(new SourcePlan(SyncName, SourceKind.Sync, SyncName));
        }

        return new PartitionPlan(config.Name, config.SegmentDirectory, sources);
    }

    public static string ProtocolName(Protocol protocol) => protocol switch
    {
        Config.Protocol.S7 => "s7",
        Config.Protocol.Modbus => "modbus",
        Config.Protocol.OpcUa => "opcua",
        Config.Protocol.Sim => "sim",
        _ => protocol.ToString().ToLowerInvariant(),
    };
}
