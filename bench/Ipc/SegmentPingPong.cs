using System.Diagnostics;

namespace EdgePartition.Ipc.Benchmarks;

/// <summary>
/// Publish-to-observe through real segments: the parent commits a value to segment "ping" with SegmentWriter;
/// the child observes it with SegmentReader (busy on ChangeSequence, or sleeping in WaitForChange), takes a
/// snapshot, and answers by committing to segment "pong", which the parent observes the same way.
/// </summary>
internal static class SegmentPingPong
{
    private static readonly SegmentLayout Layout = SegmentLayout.Create(
    [
        new TagDescriptor("counter", IpcDataType.Int64),
        new TagDescriptor("payload", IpcDataType.Float64, ArrayLength: 16),
    ]);

    public static long[] Ping(string directory, string partition, int iterations, bool futex)
    {
        using var writer = SegmentWriter.Create(directory, partition, "ping", Layout);
        writer.Commit();
        using var child = Child.Start(futex ? "segment-pong-futex" : "segment-pong-busy", directory, partition, (iterations + PingPong.Warmup).ToString());
        child.WaitReady();
        using var reader = SegmentReader.Open(directory, partition, "pong");
        var snapshot = reader.CreateSnapshot();
        var seen = reader.ChangeSequence;
        var samples = new long[iterations];
        for (long n = 1; n <= iterations + PingPong.Warmup; n++)
        {
            var start = Stopwatch.GetTimestamp();
            writer.SetInt64(0, n);
            writer.Commit();
            seen = Observe(reader, snapshot, seen, n, futex);
            if (n > PingPong.Warmup)
            {
                samples[n - PingPong.Warmup - 1] = Stopwatch.GetTimestamp() - start;
            }
        }

        child.WaitExit();
        return samples;
    }

    public static void Pong(string directory, string partition, long total, bool futex)
    {
        using var writer = SegmentWriter.Create(directory, partition, "pong", Layout);
        writer.Commit();
        using var reader = SegmentReader.Open(directory, partition, "ping");
        var snapshot = reader.CreateSnapshot();
        var seen = reader.ChangeSequence;
        Child.SignalReady();
        for (long n = 1; n <= total; n++)
        {
            seen = Observe(reader, snapshot, seen, n, futex);
            writer.SetInt64(0, n);
            writer.Commit();
        }
    }

    private static ulong Observe(SegmentReader reader, SegmentSnapshot snapshot, ulong seen, long expected, bool futex)
    {
        while (true)
        {
            if (futex)
            {
                reader.WaitForChange(seen, TimeSpan.FromSeconds(5));
            }
            else
            {
                while (reader.ChangeSequence == seen)
                {
                }
            }

            if (reader.TryReadSnapshot(snapshot))
            {
                seen = snapshot.ChangeSequence;
                if (snapshot.GetInt64(0) == expected)
                {
                    return seen;
                }
            }
        }
    }
}
