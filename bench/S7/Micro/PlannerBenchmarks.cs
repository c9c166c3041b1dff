using BenchmarkDotNet.Attributes;
using EdgePartition.S7.Client;

namespace EdgePartition.S7.Bench.Micro;

/// <summary>Planning 100 scattered DB tags (done once per poll group and PDU size, not per poll).</summary>
public class PlannerBenchmarks
{
    private S7ReadItem[] _tags = [];

    [Params(240, 960)]
    public int PduSize { get; set; }

    [GlobalSetup]
    public void Setup() => _tags = ScatteredTags.Create(100);

    [Benchmark]
    public int PlanOneHundredTags() => new S7ReadPlanner().Plan(_tags, PduSize).JobCount;

    [Benchmark]
    public int PlanOneHundredTagsWithoutGapSearch() => new S7ReadPlanner { OptimizeGaps = false }.Plan(_tags, PduSize).JobCount;
}

/// <summary>Tags of 1, 2 or 4 bytes at even offsets in the first 8000 bytes of DB1, the same list every run.</summary>
internal static class ScatteredTags
{
    public static S7ReadItem[] Create(int count)
    {
        var random = new Random(42);
        var tags = new S7ReadItem[count];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new S7ReadItem(S7Area.DB, 1, random.Next(0, 4000) * 2, 1 << random.Next(3));
        }

        return tags;
    }
}
