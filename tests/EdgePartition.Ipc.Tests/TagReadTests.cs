using System.Buffers.Binary;
using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>SegmentReader.TryReadTag: one tag read under the seqlock, value, quality and timestamp from one commit.</summary>
public class TagReadTests
{
    private static SegmentLayout Layout() => SegmentLayout.Create(
    [
        new TagDescriptor("status", IpcDataType.UInt16),
        new TagDescriptor("counter", IpcDataType.Int64),
        new TagDescriptor("wave", IpcDataType.Float64, ArrayLength: 32),
    ]);

    [Fact]
    public void ReadsTheCommittedValueQualityAndTimestampOfOneTag()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        writer.SetInt64(1, -1234567890123);
        writer.SetSample(1, IpcQuality.Good, 1_700_000_000_000_000_123);
        writer.Commit();
        Span<byte> value = stackalloc byte[8];

        Assert.True(reader.TryReadTag(1, value, out var sample));

        Assert.Equal(-1234567890123, BinaryPrimitives.ReadInt64LittleEndian(value));
        Assert.Equal(IpcQuality.Good, sample.Quality);
        Assert.Equal(1_700_000_000_000_000_123, sample.SourceUnixNs);
        Assert.Equal(reader.ChangeSequence, sample.ChangeSequence);
        Assert.Equal(writer.CommitCount * 2, sample.CommitSequence);
    }

    [Fact]
    public void ATooSmallBufferOrABadTagIsRefused()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");

        Assert.Throws<ArgumentException>(() => reader.TryReadTag(2, new byte[8], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.TryReadTag(3, new byte[8], out _));
    }

    [Fact]
    public async Task NeverMixesTwoCommitsWhileTheWriterRuns()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() =>
        {
            // Every element and the timestamp carry the same generation, so a torn read shows as a mismatch.
            for (long generation = 1; !stop.IsCancellationRequested && generation < 50_000_000; generation++)
            {
                for (var i = 0; i < 32; i++)
                {
                    writer.SetFloat64(2, i, generation);
                }

                writer.SetSample(2, IpcQuality.Good, generation);
                writer.Commit();
            }
        });

        var value = new byte[32 * 8];
        var reads = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (reads < 100_000 && DateTime.UtcNow < deadline)
        {
            if (!reader.TryReadTag(2, value, out var sample))
            {
                continue;
            }

            for (var i = 0; i < 32; i++)
            {
                Assert.Equal(sample.SourceUnixNs, (long)BinaryPrimitives.ReadDoubleLittleEndian(value.AsSpan(i * 8)));
            }

            reads++;
        }

        stop.Cancel();
        await writing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(100_000, reads);
    }
}
