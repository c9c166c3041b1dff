using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// Where one segment tag sits in an endpoint block and how its elements are encoded there (big-endian).
/// </summary>
/// <param name="Name">Tag name (as in the config and the segment).</param>
/// <param name="SegmentIndex">Index in the segment's tag table (config order).</param>
/// <param name="SegmentType">The value type the segment holds.</param>
/// <param name="ElementCount">Elements (1 for a scalar and for a byte block).</param>
/// <param name="SegmentMaxLength">Bytes of a String/Bytes element in the segment; 0 otherwise.</param>
/// <param name="Offset">Byte offset of the first element in the block (always even).</param>
/// <param name="ElementSize">Bytes of one element in the block.</param>
/// <param name="StringCharacters">Characters of a string element (S7 STRING max length); 0 otherwise.</param>
/// <param name="Writable">Whether a client write may be routed to the device's write queue.</param>
public sealed record MappedTag(
    string Name,
    int SegmentIndex,
    IpcDataType SegmentType,
    int ElementCount,
    int SegmentMaxLength,
    int Offset,
    int ElementSize,
    int StringCharacters,
    bool Writable)
{
    /// <summary>Bytes the tag takes in the block.</summary>
    public int Length => ElementSize * ElementCount;

    public int End => Offset + Length;

    /// <summary>Bytes of one element in the segment (String/Bytes: the text or data bytes).</summary>
    public int SegmentElementSize => SegmentType is IpcDataType.String or IpcDataType.Bytes ? SegmentMaxLength : SegmentLayout.ElementSizeOf(SegmentType, 0);
}
