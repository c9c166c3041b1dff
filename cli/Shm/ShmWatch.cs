using EdgePartition.Ipc;

namespace EdgePartition.Cli.Shm;

/// <summary>`edgepart shm watch`: prints a line per commit, waking on the segment's futex; re-attaches on a new layout.</summary>
internal static class ShmWatch
{
    private static readonly TimeSpan LivenessInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string directory, string partition, string segment, int count, string[] tagNames, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        // FUTEX_WAIT blocks a thread; run the loop off the console's synchronization context.
        return await Task.Factory.StartNew(() => Run(directory, partition, segment, count, tagNames, output, error, cancellation), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static int Run(string directory, string partition, string segment, int count, string[] tagNames, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        var printed = 0;
        while (!cancellation.IsCancellationRequested)
        {
            SegmentReader reader;
            try
            {
                reader = SegmentReader.Open(directory, partition, segment);
            }
            catch (Exception e) when (e is FileNotFoundException or SegmentFormatException)
            {
                error.WriteLine(e.Message);
                return e is FileNotFoundException ? ShmDump.NoSegment : ShmDump.BadSegment;
            }

            using (reader)
            {
                var tags = ResolveTags(reader.Layout, tagNames, error);
                if (tags is null)
                {
                    return 64;
                }

                var snapshot = reader.CreateSnapshot();
                var seen = ulong.MaxValue;
                var lastLiveness = (WriterLiveness?)null;
                while (!cancellation.IsCancellationRequested)
                {
                    if (seen != ulong.MaxValue && !reader.WaitForChange(seen, LivenessInterval))
                    {
                        var liveness = reader.CheckLiveness();
                        if (liveness == WriterLiveness.Superseded)
                        {
                            output.WriteLine($"{ShmFormat.Time(UnixTime.NowNs())} segment replaced by a new layout; re-attaching");
                            break;
                        }

                        if (liveness != lastLiveness)
                        {
                            output.WriteLine($"{ShmFormat.Time(UnixTime.NowNs())} writer {liveness}");
                            lastLiveness = liveness;
                        }

                        continue;
                    }

                    if (!reader.TryReadSnapshot(snapshot))
                    {
                        seen = reader.ChangeSequence;
                        continue;
                    }

                    seen = snapshot.ChangeSequence;
                    if (reader.State == SegmentState.Superseded)
                    {
                        break;
                    }

                    output.Write($"{ShmFormat.Time(UnixTime.NowNs())} #{snapshot.CommitSequence / 2} {snapshot.Status.State}");
                    foreach (var tag in tags)
                    {
                        output.Write($"  {reader.Layout.Tag(tag).Name}={ShmFormat.Value(snapshot, tag)}");
                        if (!IpcQuality.IsGood(snapshot.GetQuality(tag)))
                        {
                            output.Write($"({IpcQuality.Describe(snapshot.GetQuality(tag))})");
                        }
                    }

                    output.WriteLine();
                    if (count > 0 && ++printed >= count)
                    {
                        return 0;
                    }
                }
            }
        }

        return 0;
    }

    private static int[]? ResolveTags(SegmentLayout layout, string[] names, TextWriter error)
    {
        if (names.Length == 0)
        {
            return Enumerable.Range(0, Math.Min(layout.TagCount, 8)).ToArray();
        }

        var indices = new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (!layout.TryGetIndex(names[i], out indices[i]))
            {
                error.WriteLine($"edgepart shm watch: no tag named '{names[i]}'");
                return null;
            }
        }

        return indices;
    }
}
