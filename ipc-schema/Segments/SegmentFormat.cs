using System.Buffers.Binary;

namespace EdgePartition.Ipc;

/// <summary>
/// Byte offsets of the segment format, version 2.0. SCHEMA.md documents the same numbers; the ABI tests pin them.
/// All integers are little-endian and naturally aligned. Each header line has one writer-side rhythm, so a reader
/// spinning on one line is never disturbed by stores it does not need: the seqlock word, the change word and the
/// informational commit times each sit alone on their own 64-byte line.
/// </summary>
public static class SegmentFormat
{
    /// <summary>"EDGEPSEG" read as a little-endian u64; written last, so a reader never sees a half-built header.</summary>
    public static readonly ulong Magic = BinaryPrimitives.ReadUInt64LittleEndian("EDGEPSEG"u8);

    public const ushort LayoutMajor = 2;
    public const ushort LayoutMinor = 0;
    public const int HeaderSize = 320;
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

    // Line 2: the seqlock word alone; written twice per commit, read by snapshot readers to validate a copy.
    public const int CommitSequenceOffset = 128;

    // Line 3: change notification, written once per commit after everything else; busy and futex readers watch it.
    public const int ChangeSequenceOffset = 192;
    public const int FutexWordOffset = 200;

    // Line 4: informational commit times, written after the wake-up so they never steal line 3 from its watchers.
    public const int LastCommitUnixNsOffset = 256;
    public const int LastCommitMonotonicNsOffset = 264;

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
