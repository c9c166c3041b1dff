namespace EdgePartition.Config;

/// <summary>Tags a collector reads together, every <see cref="CycleTime"/>.</summary>
public sealed class PollGroupConfig
{
    public required string Name { get; init; }

    public required TimeSpan CycleTime { get; init; }

    public required IReadOnlyList<TagConfig> Tags { get; init; }

    public SourceLocation? Location { get; init; }
}
