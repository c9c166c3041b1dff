using System.Buffers.Binary;

namespace EdgePartition.Ipc;

/// <summary>Header checks shared by writers (reuse or replace?) and readers (typed format errors).</summary>
internal static class SegmentHeaderProbe
{
    public static bool MatchesLayout(ReadOnlySpan<byte> file, SegmentLayout layout) =>
        file.Length >= layout.SegmentSize
        && BinaryPrimitives.ReadUInt64LittleEndian(file) == SegmentFormat.Magic
        && BinaryPrimitives.ReadUInt16LittleEndian(file[SegmentFormat.LayoutMajorOffset..]) == SegmentFormat.LayoutMajor
        && BinaryPrimitives.ReadUInt64LittleEndian(file[SegmentFormat.SchemaHashOffset..]) == layout.SchemaHash
        && BinaryPrimitives.ReadUInt64LittleEndian(file[SegmentFormat.SegmentSizeOffset..]) == (ulong)layout.SegmentSize
        && BinaryPrimitives.ReadUInt64LittleEndian(file[SegmentFormat.DataOffsetOffset..]) == (ulong)layout.DataOffset
        && BinaryPrimitives.ReadUInt32LittleEndian(file[SegmentFormat.DataSizeOffset..]) == (uint)layout.DataSize
        && BinaryPrimitives.ReadUInt32LittleEndian(file[SegmentFormat.ResultsCapacityOffset..]) == (uint)layout.ResultsCapacity
        && file.Slice(layout.TagTableOffset, layout.EncodedTagTable.Length).SequenceEqual(layout.EncodedTagTable);

    /// <summary>The writer pid recorded in a segment's header, or 0 when it cannot be read.</summary>
    public static int TryReadWriterPid(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
            stream.ReadExactly(header);
            return BinaryPrimitives.ReadUInt64LittleEndian(header) == SegmentFormat.Magic
                ? BinaryPrimitives.ReadInt32LittleEndian(header[SegmentFormat.WriterPidOffset..])
                : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The epoch of whatever file is at <paramref name="path"/> now, 0 when missing or unreadable.</summary>
    public static ulong TryReadEpoch(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            Span<byte> header = stackalloc byte[SegmentFormat.EpochOffset + 8];
            stream.ReadExactly(header);
            return BinaryPrimitives.ReadUInt64LittleEndian(header[SegmentFormat.EpochOffset..]);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Checks a mapped file against the format and rebuilds its layout; every failure names the file and the problem.
    /// </summary>
    public static SegmentLayout Validate(string path, ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
        {
            SegmentFormatException.Throw(path, SegmentProblem.NotASegment, $"the file is {file.Length} bytes, smaller than any segment header");
        }

        var magic = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (magic == 0)
        {
            SegmentFormatException.Throw(path, SegmentProblem.NotPublished, "the magic is zero");
        }

        if (magic == WriteQueueFormat.Magic)
        {
            SegmentFormatException.Throw(path, SegmentProblem.WrongKind, "this is a write-request queue, not a segment");
        }

        if (magic != SegmentFormat.Magic)
        {
            SegmentFormatException.Throw(path, SegmentProblem.WrongMagic, $"expected 0x{SegmentFormat.Magic:X16} (\"EDGEPSEG\"), found 0x{magic:X16}");
        }

        if (file.Length < SegmentFormat.HeaderSize)
        {
            SegmentFormatException.Throw(path, SegmentProblem.Truncated, $"the file is {file.Length} bytes, the header alone is {SegmentFormat.HeaderSize}");
        }

        var major = BinaryPrimitives.ReadUInt16LittleEndian(file[SegmentFormat.LayoutMajorOffset..]);
        var minor = BinaryPrimitives.ReadUInt16LittleEndian(file[SegmentFormat.LayoutMinorOffset..]);
        if (major != SegmentFormat.LayoutMajor)
        {
            SegmentFormatException.Throw(path, SegmentProblem.UnknownLayoutVersion, $"layout {major}.{minor}; this reader understands {SegmentFormat.LayoutMajor}.x");
        }

        var segmentSize = BinaryPrimitives.ReadUInt64LittleEndian(file[SegmentFormat.SegmentSizeOffset..]);
        if (segmentSize > (ulong)file.Length)
        {
            SegmentFormatException.Throw(path, SegmentProblem.Truncated, $"the file is {file.Length} bytes, its header says {segmentSize}");
        }

        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(file[SegmentFormat.HeaderSizeOffset..]);
        var entrySize = BinaryPrimitives.ReadUInt32LittleEndian(file[SegmentFormat.TagEntrySizeOffset..]);
        var tagCount = BinaryPrimitives.ReadUInt32LittleEndian(file[SegmentFormat.TagCountOffset..]);
        var tableOffset = BinaryPrimitives.ReadUInt64LittleEndian(file[SegmentFormat.TagTableOffsetOffset..]);
        var dataOffset = BinaryPrimitives.ReadUInt64LittleEndian(file[SegmentFormat.DataOffsetOffset..]);
        var dataSize = BinaryPrimitives.ReadUInt32LittleEndian(file[SegmentFormat.DataSizeOffset..]);
        var resultsCapacity = BinaryPrimitives.ReadUInt32LittleEndian(file[SegmentFormat.ResultsCapacityOffset..]);
        if (headerSize != SegmentFormat.HeaderSize || entrySize != SegmentFormat.TagEntrySize || tableOffset != SegmentFormat.HeaderSize
            || tagCount > SegmentLayout.MaxTags || resultsCapacity is 0 or > 4096
            || tableOffset + ((ulong)tagCount * entrySize) > dataOffset || dataOffset + dataSize > segmentSize)
        {
            SegmentFormatException.Throw(path, SegmentProblem.Corrupt,
                $"header sizes do not fit (header {headerSize}, {tagCount} tags of {entrySize} bytes, data {dataSize} bytes at {dataOffset}, segment {segmentSize})");
        }

        var table = file.Slice((int)tableOffset, (int)(tagCount * entrySize));
        var layout = SegmentLayout.TryDecode(table, (int)tagCount, (int)resultsCapacity, out var problem);
        if (layout is null)
        {
            SegmentFormatException.Throw(path, SegmentProblem.Corrupt, problem);
        }

        var schemaHash = BinaryPrimitives.ReadUInt64LittleEndian(file[SegmentFormat.SchemaHashOffset..]);
        if (layout.SchemaHash != schemaHash || (ulong)layout.DataOffset != dataOffset || (uint)layout.DataSize != dataSize
            || (ulong)layout.SegmentSize != segmentSize)
        {
            SegmentFormatException.Throw(path, SegmentProblem.Corrupt, "the schema hash or geometry does not match the tag table");
        }

        return layout;
    }
}
