namespace EdgePartition.Ipc.TestProcess;

/// <summary>
/// The layout the stress writer and readers share. Every value carries an internal check: element i of
/// "check" is generation + i, "mirror" repeats the generation, and the status block's cycle count equals it, so a
/// snapshot that mixes two commits is detected.
/// </summary>
public static class StressLayout
{
    public const int Elements = 64;

    public static SegmentLayout Create() => SegmentLayout.Create(
    [
        new TagDescriptor("check", IpcDataType.Int64, ArrayLength: Elements),
        new TagDescriptor("mirror", IpcDataType.UInt64),
        new TagDescriptor("text", IpcDataType.String, MaxLength: 40),
    ]);

    public static void Stage(SegmentWriter writer, long generation)
    {
        for (var i = 0; i < Elements; i++)
        {
            writer.SetInt64(0, i, generation + i);
        }

        writer.SetUInt64(1, (ulong)generation);
        writer.SetString(2, $"generation {generation}");
        for (var tag = 0; tag < 3; tag++)
        {
            writer.SetSample(tag, IpcQuality.Good, generation);
        }

        writer.Status.CycleCount = (ulong)generation;
    }

    /// <summary>True when the snapshot is one whole commit (tags marked Bad by a repair are skipped).</summary>
    public static bool IsConsistent(SegmentSnapshot snapshot)
    {
        if (!IpcQuality.IsGood(snapshot.GetQuality(0)))
        {
            return true;
        }

        var generation = snapshot.GetInt64(0, 0);
        for (var i = 1; i < Elements; i++)
        {
            if (snapshot.GetInt64(0, i) != generation + i)
            {
                return false;
            }
        }

        return snapshot.GetUInt64(1) == (ulong)generation
            && snapshot.Status.CycleCount == (ulong)generation
            && snapshot.GetSourceTimestamp(0) == generation
            && snapshot.GetString(2) == $"generation {generation}";
    }
}
