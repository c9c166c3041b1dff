namespace EdgePartition.Config;

/// <summary>Tags a collector reads together, every <see cref="CycleTime"/>.</summary>
public sealed class PollGroupConfig
{
    public required string Name { get; init; }

    public required TimeSpan CycleTime { get; init; }

    public required IReadOnlyList<TagConfig> Tags { get; init; }

    /// <summary>OPC UA groups: subscription or poll mode and the subscription's settings; null for other protocols.</summary>
    public OpcUaGroupConfig? OpcUa { get; init; }

    public SourceLocation? Location { get; init; }
}
