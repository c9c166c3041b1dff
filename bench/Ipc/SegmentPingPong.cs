using System.Buffers.Binary;
using System.Diagnostics;

namespace EdgePartition.Ipc.Benchmarks;

/// <summary>How the observing side of a segment ping-pong learns of a commit and reads it.</summary>
internal enum ObserveMode
{
    /// <summary>Spins on ChangeSequence, then copies the whole data area with TryReadSnapshot.</summary>
    BusySnapshot,

    /// <summary>Spins on the counter tag's slot version (its own cache line), then reads it with TryReadTag.</summary>
    BusyTag,

    /// <summary>Sleeps in WaitForChange (counted in the waiters file), then TryReadSnapshot.</summary>
    Futex,
}

/// <summary>
/// Publish-to-observe through real segments: the parent commits a value to segment "ping" with SegmentWriter;
/// the child observes it with SegmentReader (see <see cref="ObserveMode"/>) and answers by committing to segment
/// "pong", which the parent observes the same way.
/// </summary>
internal static class SegmentPingPong
{
    private static readonly SegmentLayout Layout = SegmentLayout.Create(
    [
        new TagDescriptor("counter", IpcDataType.Int64),
        new TagDescriptor("payload", IpcDataType.Float64, ArrayLength: 16),
    ]);

    public static string ChildMode(ObserveMode mode) => mode switch
    {
        ObserveMode.BusySnapshot => "segment-pong-busy",
        ObserveMode.BusyTag => "segment-pong-tag",
        _ => "segment-pong-futex",
    };

    public static long[] Ping(string directory, string partition, int iterations, ObserveMode mode)
    {
        using var writer = SegmentWriter.Create(directory, partition, "ping", Layout);
        writer.Commit();
        using var child = Child.Start(ChildMode(mode), directory, partition, (iterations + PingPong.Warmup).ToString());
        child.WaitReady();
        using var reader = SegmentReader.Open(directory, partition, "pong");
        var observer = new Observer(reader, mode);
        var samples = new long[iterations];
        for (long n = 1; n <= iterations + PingPong.Warmup; n++)
        {
            var start = Stopwatch.GetTimestamp();
            writer.SetInt64(0, n);
            writer.Commit();
            observer.WaitFor(n);
            if (n > PingPong.Warmup)
            {
                samples[n - PingPong.Warmup - 1] = Stopwatch.GetTimestamp() - start;
            }
        }

        child.WaitExit();
        return samples;
    }

    public static void Pong(string directory, string partition, long total, ObserveMode mode)
    {
        using var writer = SegmentWriter.Create(directory, partition, "pong", Layout);
        writer.Commit();
        using var reader = SegmentReader.Open(directory, partition, "ping");
        var observer = new Observer(reader, mode);
        Child.SignalReady();
        for (long n = 1; n <= total; n++)
        {
            observer.WaitFor(n);
            writer.SetInt64(0, n);
            writer.Commit();
        }
    }

    private sealed class Observer(SegmentReader reader, ObserveMode mode)
    {
        private readonly SegmentSnapshot _snapshot = reader.CreateSnapshot();
        private readonly byte[] _value = new byte[8];
        private ulong _seen = reader.ChangeSequence;
        private uint _seenVersion = reader.TagVersion(0);

        public void WaitFor(long expected)
        {
            while (true)
            {
                if (mode == ObserveMode.BusyTag)
                {
                    while (reader.TagVersion(0) == _seenVersion)
                    {
                    }

                    if (reader.TryReadTag(0, _value, out var sample))
                    {
                        _seenVersion = sample.Version;
                        if (BinaryPrimitives.ReadInt64LittleEndian(_value) == expected)
                        {
                            return;
                        }
                    }

                    continue;
                }

                if (mode == ObserveMode.Futex)
                {
                    reader.WaitForChange(_seen, TimeSpan.FromSeconds(5));
                }
                else
                {
                    while (reader.ChangeSequence == _seen)
                    {
                    }
                }

                if (reader.TryReadSnapshot(_snapshot))
                {
                    _seen = _snapshot.ChangeSequence;
                    if (_snapshot.GetInt64(0) == expected)
                    {
                        return;
                    }
                }
            }
        }
    }
}
