using System.Diagnostics;

namespace EdgePartition.Ipc.Benchmarks;

/// <summary>In-process cost of the pieces of a publish: commit, snapshot, bare FUTEX_WAKE, clock reads.</summary>
internal static unsafe class Micro
{
    public static void Run(string directory, string partition)
    {
        var layout = SegmentLayout.Create([new TagDescriptor("counter", IpcDataType.Int64), new TagDescriptor("payload", IpcDataType.Float64, ArrayLength: 16)]);
        using var writer = SegmentWriter.Create(directory, partition, "micro", layout);
        using var reader = SegmentReader.Open(directory, partition, "micro");
        var snapshot = reader.CreateSnapshot();
        const int n = 200_000;
        Report("Commit (1 tag changed)", n, i =>
        {
            writer.SetInt64(0, i);
            writer.Commit();
        });
        var value = new byte[8];
        Report("TryReadTag", n, _ => reader.TryReadTag(0, value, out TagSample _));
        Report("SetInt64 only", n, i => writer.SetInt64(0, i));
        Report("Commit (nothing changed)", n, _ => writer.Commit());
        Report($"TryReadSnapshot ({layout.DataSize} B data area)", n, _ => reader.TryReadSnapshot(snapshot));
        var word = stackalloc uint[1];
        Report("FUTEX_WAKE without waiters", n, _ => Futex.WakeAll(word));
        Report("UnixTime.NowNs", n, _ => UnixTime.NowNs());
        Report("UnixTime.MonotonicNs", n, _ => UnixTime.MonotonicNs());
    }

    private static void Report(string name, int n, Action<long> body)
    {
        for (var i = 0; i < 10_000; i++)
        {
            body(i);
        }

        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            body(i);
        }

        Console.WriteLine($"{name,-52} {Stopwatch.GetElapsedTime(start).TotalNanoseconds / n,8:0} ns/op");
    }
}
