using System.Buffers.Binary;

namespace EdgePartition.Ipc;

/// <summary>Byte offsets of the write-request queue file, version 1.0 (SCHEMA.md §Write queue).</summary>
public static class WriteQueueFormat
{
    /// <summary>"EDGEPWRQ" as a little-endian u64, written last.</summary>
    public static readonly ulong Magic = BinaryPrimitives.ReadUInt64LittleEndian("EDGEPWRQ"u8);

    public const ushort LayoutMajor = 1;
    public const int HeaderSize = 256;
    public const int RecordSize = 1152;
    public const int ValueCapacity = 1024;
    public const int OriginCapacity = 64;
    public const int DefaultCapacity = 64;

    public const int MagicOffset = 0;
    public const int LayoutMajorOffset = 8;
    public const int LayoutMinorOffset = 10;
    public const int HeaderSizeOffset = 12;
    public const int CapacityOffset = 16;
    public const int RecordSizeOffset = 20;
    public const int ValueCapacityOffset = 24;
    public const int FileSizeOffset = 32;

    // Line 1: the lock. The u64 at 64 is the lock word: 0 free, else the owner (low 32 bits its pid, high 32 bits the
    // low half of its process start ticks), set by compare-and-swap so the owner is on record whenever the lock is held.
    public const int LockWordOffset = 64;
    public const int HolderPidOffset = 64;
    public const int HolderStartTicksOffset = 72;
    public const int HolderSinceUnixNsOffset = 80;
    public const int MutexRepairsOffset = 88;

    // Line 2: ring indices and counters (changed only under the mutex).
    public const int HeadOffset = 128;
    public const int TailOffset = 136;
    public const int NextRequestIdOffset = 144;
    public const int EnqueuedTotalOffset = 152;
    public const int RefusedFullOffset = 160;
    public const int DequeuedTotalOffset = 168;
    public const int ConsumerPidOffset = 176;

    // Record.
    public const int RecordRequestIdOffset = 0;
    public const int RecordTagIndexOffset = 8;
    public const int RecordByteOffsetOffset = 12;
    public const int RecordLengthOffset = 16;
    public const int RecordOriginPidOffset = 20;
    public const int RecordEnqueuedOffset = 24;
    public const int RecordDeadlineOffset = 32;
    public const int RecordOriginOffset = 40;
    public const int RecordValueOffset = 128;

    public static long FileSize(int capacity) => SegmentFormat.AlignUp(HeaderSize + ((long)capacity * RecordSize), SegmentFormat.PageSize);
}
