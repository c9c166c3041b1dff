using System.Buffers.Binary;
using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>Files that are not usable segments give a typed error naming the file and the problem.</summary>
public class BadSegmentFileTests
{
    public static TheoryData<string, SegmentProblem> Cases => new()
    {
        { "empty", SegmentProblem.NotASegment },
        { "text", SegmentProblem.WrongMagic },
        { "zero-magic", SegmentProblem.NotPublished },
        { "version-9", SegmentProblem.UnknownLayoutVersion },
        { "truncated", SegmentProblem.Truncated },
        { "header-only", SegmentProblem.Truncated },
        { "corrupt-table", SegmentProblem.Corrupt },
        { "queue", SegmentProblem.WrongKind },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RejectsBadFileNamingFileAndProblem(string kind, SegmentProblem expected)
    {
        using var scope = new ShmScope();
        var path = scope.SegmentPath("bad");
        File.WriteAllBytes(path, MakeFile(scope, kind));

        var error = Assert.Throws<SegmentFormatException>(() => SegmentReader.Open(scope.Directory, scope.Partition, "bad"));
        Assert.Equal(expected, error.Problem);
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message);
    }

    [Fact]
    public void MissingSegmentIsFileNotFound()
    {
        using var scope = new ShmScope();
        Assert.Throws<FileNotFoundException>(() => SegmentReader.Open(scope.Directory, scope.Partition, "none"));
    }

    [Fact]
    public void WriterReplacesABadFileInsteadOfFailing()
    {
        using var scope = new ShmScope();
        File.WriteAllText(scope.SegmentPath("dev"), "not a segment at all");
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentRoundTripTests.AllTypes());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        Assert.Equal(writer.Layout.SchemaHash, reader.Layout.SchemaHash);
    }

    private static byte[] MakeFile(ShmScope scope, string kind)
    {
        if (kind == "empty")
        {
            return [];
        }

        if (kind == "text")
        {
            return "hello, I am a text file that happens to live in /dev/shm\n"u8.ToArray();
        }

        if (kind == "queue")
        {
            using var queue = WriteQueue.Create(scope.Directory, scope.Partition, "q", 2);
            return File.ReadAllBytes(queue.Path);
        }

        using (var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "good", SegmentRoundTripTests.AllTypes()))
        {
            writer.Commit();
        }

        var bytes = File.ReadAllBytes(scope.SegmentPath("good"));
        switch (kind)
        {
            case "zero-magic":
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, 0);
                return bytes;
            case "version-9":
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(SegmentFormat.LayoutMajorOffset), 9);
                return bytes;
            case "truncated":
                return bytes[..(bytes.Length / 2)];
            case "header-only":
                return bytes[..100];
            case "corrupt-table":
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(SegmentFormat.HeaderSize + SegmentFormat.TagDataTypeOffset), 99);
                return bytes;
            default:
                throw new ArgumentException(kind);
        }
    }
}
