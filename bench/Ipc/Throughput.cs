using System.Diagnostics;

namespace EdgePartition.Ipc.Benchmarks;

/// <summary>Single-process figures: writer tag updates per second and the cost of snapshotting a 64 KiB segment.</summary>
internal static class Throughput
{
    /// <summary>Stages every Float64 tag of a segment and commits, repeatedly; returns updates/s and commits/s.</summary>
    public static (double UpdatesPerSecond, double CommitsPerSecond) Writer(string directory, string partition, int tags, TimeSpan duration)
    {
        var descriptors = new TagDescriptor[tags];
        for (var i = 0; i < tags; i++)
        {
            descriptors[i] = new TagDescriptor($"t{i}", IpcDataType.Float64);
        }

        using var writer = SegmentWriter.Create(directory, partition, $"tp{tags}", SegmentLayout.Create(descriptors));
        long commits = 0;
        var start = Stopwatch.GetTimestamp();
        var now = UnixTime.NowNs();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            for (var round = 0; round < 16; round++)
            {
                for (var i = 0; i < tags; i++)
                {
                    writer.SetFloat64(i, commits + i);
                    writer.SetSample(i, IpcQuality.Good, now);
                }

                writer.Commit();
                commits++;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (commits * tags / seconds, commits / seconds);
    }

    /// <summary>Snapshot latency of a segment whose data area is about 64 KiB, no concurrent writer.</summary>
    public static Percentiles Snapshot64K(string directory, string partition, int iterations)
    {
        // 1 900 Float64 slots of 24 bytes, two per cache line (a slot never straddles one) + status and results
        // ≈ 64 KiB of data area.
        var descriptors = new TagDescriptor[1_900];
        for (var i = 0; i < descriptors.Length; i++)
        {
            descriptors[i] = new TagDescriptor($"t{i}", IpcDataType.Float64);
        }

        var layout = SegmentLayout.Create(descriptors);
        using var writer = SegmentWriter.Create(directory, partition, "snap64k", layout);
        writer.Commit();
        using var reader = SegmentReader.Open(directory, partition, "snap64k");
        var snapshot = reader.CreateSnapshot();
        var samples = new long[iterations];
        for (var i = 0; i < iterations + 1000; i++)
        {
            var start = Stopwatch.GetTimestamp();
            reader.TryReadSnapshot(snapshot);
            if (i >= 1000)
            {
                samples[i - 1000] = Stopwatch.GetTimestamp() - start;
            }
        }

        return Percentiles.FromRoundTrips($"snapshot of {layout.DataSize / 1024.0:0.0} KiB data area", samples, halve: false);
    }
}
