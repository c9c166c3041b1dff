using System.Buffers.Binary;

namespace EdgePartition.Ipc;

/// <summary>
/// Byte offsets of the segment format, version 1.0. SCHEMA.md documents the same numbers; the ABI tests pin them.
/// All integers are little-endian and naturally aligned; hot fields sit on their own 64-byte lines.
/// </summary>
public static class SegmentFormat
{
    /// <summary>"EDGEPSEG" read as a little-endian u64; written last, so a reader never sees a half-built header.</summary>
    public static readonly ulong Magic = BinaryPrimitives.ReadUInt64LittleEndian("EDGEPSEG"u8);

    public const ushort LayoutMajor = 1;
    public const ushort LayoutMinor = 0;
    public const int HeaderSize = 256;
    public const int TagEntrySize = 192;
    public const int CacheLine = 64;
    public const int PageSize = 4096;

    // Line 0: identity and geometry, immutable once published.
    public const int MagicOffset = 0;
    public const int LayoutMajorOffset = 8;
    public const int LayoutMinorOffset = 10;
    public const int HeaderSizeOffset = 12;
    public const int SchemaHashOffset = 16;
    public const int SegmentSizeOffset = 24;
    public const int TagCountOffset = 32;
    public const int TagEntrySizeOffset = 36;
    public const int TagTableOffsetOffset = 40;
    public const int DataOffsetOffset = 48;
    public const int DataSizeOffset = 56;
    public const int ResultsCapacityOffset = 60;

    // Line 1: writer identity and liveness, written by the writer outside the seqlock.
    public const int EpochOffset = 64;
    public const int WriterPidOffset = 72;
    public const int StateOffset = 76;
    public const int WriterStartTicksOffset = 80;
    public const int HeartbeatMonotonicNsOffset = 88;
    public const int HeartbeatUnixNsOffset = 96;
    public const int HeartbeatIntervalMsOffset = 104;
    public const int WriterStartedUnixNsOffset = 112;
    public const int RepairCountOffset = 120;

    // Line 2: the seqlock and change notification.
    public const int CommitSequenceOffset = 128;
    public const int ChangeSequenceOffset = 136;
    public const int FutexWordOffset = 144;
    public const int LastCommitUnixNsOffset = 152;
    public const int LastCommitMonotonicNsOffset = 160;

    // Tag table entry.
    public const int TagNameOffset = 0;
    public const int TagNameSize = 64;
    public const int TagAddressOffset = 64;
    public const int TagAddressSize = 64;
    public const int TagDataTypeOffset = 128;
    public const int TagFlagsOffset = 130;
    public const int TagArrayLengthOffset = 132;
    public const int TagMaxLengthOffset = 136;
    public const int TagElementSizeOffset = 140;
    public const int TagSlotOffsetOffset = 144;
    public const int TagValueSizeOffset = 148;
    public const ushort TagFlagWritable = 1;

    // Committed data area (under the seqlock), relative to DataOffset.
    public const int StatusOffset = 0;
    public const int StatusSize = 512;
    public const int ResultsHeaderOffset = 512;
    public const int ResultsWrittenOffset = 512;
    public const int ResultsEntriesOffset = 576;
    public const int ResultEntrySize = 128;
    public const int DefaultResultsCapacity = 32;

    // Write result entry.
    public const int ResultRequestIdOffset = 0;
    public const int ResultStatusOffset = 8;
    public const int ResultTagIndexOffset = 12;
    public const int ResultEnqueuedOffset = 16;
    public const int ResultStartedOffset = 24;
    public const int ResultDoneOffset = 32;
    public const int ResultErrorOffset = 40;
    public const int ResultErrorSize = 88;

    /// <summary>FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3): trivial to recompute in C or Python.</summary>
    public static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 0x100000001b3UL;
        }

        return hash;
    }

    internal static int AlignUp(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);

    internal static long AlignUp(long value, long alignment) => (value + alignment - 1) & ~(alignment - 1);
}
