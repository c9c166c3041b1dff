namespace EdgePartition.OpcUa.Types;

/// <summary>Part 4 §7.23 MonitoringMode.</summary>
public enum MonitoringMode : uint
{
    Disabled = 0,
    Sampling = 1,
    Reporting = 2,
}

/// <summary>Part 4 §7.40 TimestampsToReturn.</summary>
public enum TimestampsToReturn : uint
{
    Source = 0,
    Server = 1,
    Both = 2,
    Neither = 3,
}

/// <summary>What change of a value is reported (Part 4 §7.22.2).</summary>
public enum DataChangeTrigger : uint
{
    Status = 0,
    StatusValue = 1,
    StatusValueTimestamp = 2,
}

/// <summary>Part 4 §7.22.2 DeadbandType; Percent needs the item's EURange.</summary>
public enum DeadbandType : uint
{
    None = 0,
    Absolute = 1,
    Percent = 2,
}

/// <summary>A monitored item's data change filter (Part 4 §7.22.2; encoding i=724), sent as an ExtensionObject.</summary>
public sealed record DataChangeFilter(DataChangeTrigger Trigger, DeadbandType DeadbandType, double DeadbandValue)
{
    public const uint BinaryEncodingId = 724;
}

/// <summary>A node attribute to read or monitor (Part 4 §7.29).</summary>
public sealed record ReadValueId(NodeId NodeId, uint AttributeId, string? IndexRange, QualifiedName DataEncoding)
{
    /// <summary>The Value attribute (Part 6 Annex A.1), what a data collector monitors.</summary>
    public const uint ValueAttribute = 13;

    public static ReadValueId Value(NodeId node) => new(node, ValueAttribute, null, new QualifiedName(0, null));
}

/// <summary>How a monitored item samples and queues (Part 4 §7.21); <see cref="Filter"/> is null-bodied for none.</summary>
public sealed record MonitoringParameters(uint ClientHandle, double SamplingInterval, ExtensionObject Filter, uint QueueSize, bool DiscardOldest);

/// <summary>One item of CreateMonitoredItems (Part 4 §5.12.2).</summary>
public sealed record MonitoredItemCreateRequest(ReadValueId ItemToMonitor, MonitoringMode MonitoringMode, MonitoringParameters RequestedParameters);

/// <summary>The server's answer for one created item, with its revised sampling interval and queue size.</summary>
public sealed record MonitoredItemCreateResult(
    uint StatusCode, uint MonitoredItemId, double RevisedSamplingInterval, uint RevisedQueueSize, ExtensionObject FilterResult);

/// <summary>One item of ModifyMonitoredItems (Part 4 §5.12.3).</summary>
public sealed record MonitoredItemModifyRequest(uint MonitoredItemId, MonitoringParameters RequestedParameters);

/// <summary>The server's answer for one modified item.</summary>
public sealed record MonitoredItemModifyResult(uint StatusCode, double RevisedSamplingInterval, uint RevisedQueueSize, ExtensionObject FilterResult);
