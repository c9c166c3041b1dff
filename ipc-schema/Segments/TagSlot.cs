namespace EdgePartition.Ipc;

/// <summary>Where a tag's slot is and how its value is laid out (computed by <see cref="SegmentLayout"/>).</summary>
/// <param name="SlotOffset">Byte offset of the slot from the start of the committed data area.</param>
/// <param name="ElementSize">Bytes per element (for String/Bytes: 4-byte length + MaxLength, rounded up to 4).</param>
/// <param name="ValueSize">ElementSize × ArrayLength: the value bytes that follow the 16-byte slot header.</param>
public readonly record struct TagSlot(int SlotOffset, int ElementSize, int ValueSize)
{
    /// <summary>Slot header: u32 quality, u32 version, i64 source timestamp.</summary>
    public const int HeaderSize = 16;

    /// <summary>
    /// The slot's own seqlock word: the low 32 bits of the commit sequence of the commit that last wrote the slot,
    /// odd while that commit copies it. A reader that follows one tag watches this word, on the same cache line as a
    /// small value, instead of the header's change line.
    /// </summary>
    public const int VersionOffset = 4;

    public int ValueOffset => SlotOffset + HeaderSize;
}
