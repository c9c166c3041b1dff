using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>
/// One value to monitor (Part 4 §5.12.2, §7.21, §7.22.2). <see cref="ClientHandle"/> comes back with every
/// notification of the item, so a handler finds its slot without a lookup.
/// </summary>
public sealed record MonitoredItemSettings(NodeId Node, uint ClientHandle)
{
    /// <summary>How often the server samples; null: the subscription's publishing interval (sent as -1).</summary>
    public TimeSpan? SamplingInterval { get; init; }

    /// <summary>Values the server queues between publishes; 1 keeps only the latest.</summary>
    public uint QueueSize { get; init; } = 1;

    /// <summary>When the queue is full, drop the oldest value (true) or the newest.</summary>
    public bool DiscardOldest { get; init; } = true;

    public DataChangeTrigger Trigger { get; init; } = DataChangeTrigger.StatusValue;

    /// <summary>None, Absolute (in the value's units) or Percent (of the node's EURange, which the server must know).</summary>
    public DeadbandType DeadbandType { get; init; }

    public double DeadbandValue { get; init; }

    /// <summary>The attribute monitored; the Value attribute unless told otherwise.</summary>
    public uint AttributeId { get; init; } = ReadValueId.ValueAttribute;

    /// <summary>The DataChangeFilter to send, or the null ExtensionObject when the defaults apply.</summary>
    internal ExtensionObject Filter => Trigger == DataChangeTrigger.StatusValue && DeadbandType == DeadbandType.None
        ? ExtensionObject.Null
        : ExtensionObject.FromStructure(DataChangeFilter.BinaryEncodingId, new DataChangeFilter(Trigger, DeadbandType, DeadbandValue));

    internal MonitoringParameters Parameters => new(
        ClientHandle, SamplingInterval is { } interval ? interval.TotalMilliseconds : -1, Filter, QueueSize, DiscardOldest);
}
