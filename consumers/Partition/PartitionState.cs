using System.Collections.Frozen;

namespace EdgePartition.Consumers.Partition;

/// <summary>Every source of the partition with its latest snapshot; the one shared view of the consumers.</summary>
public sealed class PartitionState
{
    private readonly FrozenDictionary<string, SourceState> _byName;

    public PartitionState(PartitionPlan plan)
    {
        Plan = plan;
        var sources = new SourceState[plan.Sources.Count];
        for (var i = 0; i < sources.Length; i++)
        {
            sources[i] = new SourceState(plan.Sources[i], i);
            if (plan.Sources[i].Kind == SourceKind.Sync)
            {
                Sync = sources[i];
            }
        }

        Sources = sources;
        _byName = sources.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        StartedUnixNs = Ipc.UnixTime.NowNs();
    }

    public PartitionPlan Plan { get; }

    public string Name => Plan.Name;

    public IReadOnlyList<SourceState> Sources { get; }

    /// <summary>The sync segment's source, or null when the partition has no sync rules.</summary>
    public SourceState? Sync { get; }

    public long StartedUnixNs { get; }

    public SourceState? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>A device (not the sync source) by name.</summary>
    public SourceState? FindDevice(string name) =>
        _byName.TryGetValue(name, out var source) && source.Plan.Kind == SourceKind.Device ? source : null;
}
