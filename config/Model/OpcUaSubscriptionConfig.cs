namespace EdgePartition.Config;

/// <summary>How an OPC UA poll group gets its values.</summary>
public enum OpcUaGroupMode
{
    /// <summary>One subscription per group, publishing every cycle time: the server sends what changed (the default).</summary>
    Subscription,

    /// <summary>One Read of all the group's nodes every cycle time.</summary>
    Poll,
}

/// <summary>What an OPC UA server-side deadband is measured in (Part 8 §6.2 / Part 4 §7.22.2).</summary>
public enum OpcUaDeadbandType
{
    /// <summary>In the value's own (raw) units.</summary>
    Absolute,

    /// <summary>In percent of the node's EURange (the server must know one: AnalogItem).</summary>
    Percent,
}

/// <summary>An OPC UA poll group's subscription settings (<c>mode</c>, <c>samplingMs</c>, <c>queueSize</c>, <c>discardOldest</c>).</summary>
public sealed class OpcUaGroupConfig
{
    public OpcUaGroupMode Mode { get; init; } = OpcUaGroupMode.Subscription;

    /// <summary>How often the server samples each node; null: the cycle time (the publishing interval).</summary>
    public TimeSpan? SamplingInterval { get; init; }

    /// <summary>Values the server queues per node between publishes (1: only the latest).</summary>
    public uint QueueSize { get; init; } = 1;

    public bool DiscardOldest { get; init; } = true;

    public static OpcUaGroupConfig Default { get; } = new();
}

/// <summary>A deadband the OPC UA server applies before it reports a change (<c>serverDeadband</c>, <c>serverDeadbandType</c>).</summary>
public sealed record OpcUaServerDeadband(OpcUaDeadbandType Type, double Value);
