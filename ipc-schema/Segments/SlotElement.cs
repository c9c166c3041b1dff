using System.Buffers.Binary;

namespace EdgePartition.Ipc;

/// <summary>
/// Reads one element of a tag's value in the segment encoding (SCHEMA.md §Values: little-endian numbers, i64
/// nanoseconds for DateTime and Duration, u32 length + bytes for String and Bytes) and a slot's header fields.
/// Processes that hold a copy of a slot (a snapshot, a <see cref="SegmentReader.TryReadTag"/> buffer, a write request)
/// decode it here, never by offsets of their own. Allocation-free.
/// </summary>
public static class SlotElement
{
    /// <summary>A numeric, Bool, DateTime or Duration element as a double (64-bit integers lose precision past 2^53).</summary>
    public static double ReadNumber(IpcDataType type, ReadOnlySpan<byte> element) => type switch
    {
        IpcDataType.Bool => element[0] != 0 ? 1 : 0,
        IpcDataType.Int8 => (sbyte)element[0],
        IpcDataType.UInt8 => element[0],
        IpcDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(element),
        IpcDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(element),
        IpcDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(element),
        IpcDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(element),
        IpcDataType.Int64 or IpcDataType.DateTime or IpcDataType.Duration => BinaryPrimitives.ReadInt64LittleEndian(element),
        IpcDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(element),
        IpcDataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(element),
        IpcDataType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(element),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a fixed-size type"),
    };

    /// <summary>An integer element (any width, sign-extended; UInt64 as its bit pattern) exactly, without a double.</summary>
    public static long ReadInteger(IpcDataType type, ReadOnlySpan<byte> element) => type switch
    {
        IpcDataType.Bool or IpcDataType.UInt8 => element[0],
        IpcDataType.Int8 => (sbyte)element[0],
        IpcDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(element),
        IpcDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(element),
        IpcDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(element),
        IpcDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(element),
        IpcDataType.Float32 => (long)BinaryPrimitives.ReadSingleLittleEndian(element),
        IpcDataType.Float64 => (long)BinaryPrimitives.ReadDoubleLittleEndian(element),
        _ => BinaryPrimitives.ReadInt64LittleEndian(element),
    };

    /// <summary>The text or data bytes of a String or Bytes element, the stored length clamped to <paramref name="maxLength"/>.</summary>
    public static ReadOnlySpan<byte> ReadVariable(ReadOnlySpan<byte> element, int maxLength)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(element);
        return element.Slice(4, (int)Math.Min(length, (uint)Math.Min(maxLength, element.Length - 4)));
    }

    /// <summary>The quality (OPC UA StatusCode) in the header of the slot at <paramref name="slot"/> within <paramref name="data"/>.</summary>
    public static uint Quality(ReadOnlySpan<byte> data, TagSlot slot) => TagValueCodec.GetQuality(data, slot);

    /// <summary>The source timestamp (ns since 1970) in the slot header.</summary>
    public static long SourceTimestampNs(ReadOnlySpan<byte> data, TagSlot slot) => TagValueCodec.GetSourceTimestamp(data, slot);
}
