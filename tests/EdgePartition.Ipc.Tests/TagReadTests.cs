using System.Buffers.Binary;
using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>
/// SegmentReader.TryReadTag and slot versions: one tag read under its slot's seqlock, value, quality and timestamp
/// from one commit; the version moves exactly when a commit writes the tag.
/// </summary>
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
        Assert.Equal((uint)(writer.CommitCount * 2), sample.Version);
        Assert.Equal(sample.Version, reader.TagVersion(1));
    }

    [Fact]
    public void AVersionMovesOnlyWhenACommitWritesItsTag()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var snapshot = reader.CreateSnapshot();
        writer.SetUInt16(0, 7);
        writer.SetInt64(1, 1);
        writer.Commit();
        var statusVersion = reader.TagVersion(0);
        var counterVersion = reader.TagVersion(1);

        writer.SetInt64(1, 2);
        writer.Commit();
        writer.Status.ReadsOk++;
        writer.Commit();

        Assert.Equal(statusVersion, reader.TagVersion(0));
        Assert.NotEqual(counterVersion, reader.TagVersion(1));
        Assert.Equal(0u, reader.TagVersion(1) & 1);
        Assert.True(reader.TryReadSnapshot(snapshot));
        Assert.Equal(reader.TagVersion(1), snapshot.GetVersion(1));
        Assert.Equal(statusVersion, snapshot.GetVersion(0));
    }

    [Fact]
    public void AllQualitiesAtOnceMoveEveryVersion()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        writer.Commit();
        var before = new[] { reader.TagVersion(0), reader.TagVersion(1), reader.TagVersion(2) };

        writer.SetAllQualities(IpcQuality.BadNotConnected);
        writer.Commit();

        for (var tag = 0; tag < 3; tag++)
        {
            Assert.NotEqual(before[tag], reader.TagVersion(tag));
        }
    }

    [Fact]
    public void ATooSmallBufferOrABadTagIsRefused()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");

        Assert.Throws<ArgumentException>(() => reader.TryReadTag(2, new byte[8], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.TryReadTag(3, new byte[8], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.TagVersion(3));
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
        using var giveUp = new CancellationTokenSource(TestTimeouts.Default);
        while (reads < 100_000 && !giveUp.IsCancellationRequested)
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
        await writing.WithTimeout();
        Assert.Equal(100_000, reads);
    }
}
