namespace EdgePartition.Hosting.Systemd.Units;

/// <summary>What the units of one partition depend on, taken from its config by the caller.</summary>
public sealed record PartitionUnitsRequest
{
    /// <summary>Partition name; becomes the instance of every unit ([A-Za-z0-9_-]).</summary>
    public required string Partition { get; init; }

    /// <summary>Protocols with at least one device, as `edgepart collector --protocol` spells them (s7, modbus, opcua, sim).</summary>
    public required IReadOnlyList<string> Protocols { get; init; }

    /// <summary>Whether the partition has sync rules (a collect-only partition runs no sync).</summary>
    public bool HasSync { get; init; } = true;

    /// <summary>SCHED_FIFO priority of the collector cycle threads, or null: the collectors' units then allow it.</summary>
    public int? CollectorRealtimePriority { get; init; }

    public int? SyncRealtimePriority { get; init; }
}
