using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgePartition.Ipc;

/// <summary>
/// Reads and writes tag slots inside a data-area image (the writer's staging buffer or a reader's snapshot).
/// Allocation-free except for string getters; type and bounds are checked on every call.
/// </summary>
internal static class TagValueCodec
{
    public const int QualityOffset = 0;
    public const int SourceTimestampOffset = 8;

    public static uint GetQuality(ReadOnlySpan<byte> data, TagSlot slot) =>
        BinaryPrimitives.ReadUInt32LittleEndian(data[(slot.SlotOffset + QualityOffset)..]);

    public static void SetQuality(Span<byte> data, TagSlot slot, uint quality) =>
        BinaryPrimitives.WriteUInt32LittleEndian(data[(slot.SlotOffset + QualityOffset)..], quality);

    public static uint GetVersion(ReadOnlySpan<byte> data, TagSlot slot) =>
        BinaryPrimitives.ReadUInt32LittleEndian(data[(slot.SlotOffset + TagSlot.VersionOffset)..]);

    public static void SetVersion(Span<byte> data, TagSlot slot, uint version) =>
        BinaryPrimitives.WriteUInt32LittleEndian(data[(slot.SlotOffset + TagSlot.VersionOffset)..], version);

    public static long GetSourceTimestamp(ReadOnlySpan<byte> data, TagSlot slot) =>
        BinaryPrimitives.ReadInt64LittleEndian(data[(slot.SlotOffset + SourceTimestampOffset)..]);

    public static void SetSourceTimestamp(Span<byte> data, TagSlot slot, long unixNs) =>
        BinaryPrimitives.WriteInt64LittleEndian(data[(slot.SlotOffset + SourceTimestampOffset)..], unixNs);

    /// <summary>The span of one fixed-size element after checking the tag's type and the element index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ElementOffset(SegmentLayout layout, int tagIndex, int element, IpcDataType expected)
    {
        var tag = layout.Tag(tagIndex);
        if (tag.DataType != expected)
        {
            ThrowTypeMismatch(tag, expected);
        }

        if ((uint)element >= (uint)tag.ArrayLength)
        {
            ThrowElementOutOfRange(tag, element);
        }

        var slot = layout.Slot(tagIndex);
        return slot.ValueOffset + (element * slot.ElementSize);
    }

    public static T Read<T>(ReadOnlySpan<byte> data, SegmentLayout layout, int tagIndex, int element, IpcDataType expected)
        where T : unmanaged =>
        MemoryMarshal.Read<T>(data[ElementOffset(layout, tagIndex, element, expected)..]);

    public static void Write<T>(Span<byte> data, SegmentLayout layout, int tagIndex, int element, IpcDataType expected, T value)
        where T : unmanaged =>
        MemoryMarshal.Write(data[ElementOffset(layout, tagIndex, element, expected)..], in value);

    /// <summary>The stored bytes of a String or Bytes element (length prefix checked against MaxLength).</summary>
    public static ReadOnlySpan<byte> ReadVariable(ReadOnlySpan<byte> data, SegmentLayout layout, int tagIndex, int element, IpcDataType expected)
    {
        var offset = ElementOffset(layout, tagIndex, element, expected);
        return SlotElement.ReadVariable(data[offset..], layout.Tag(tagIndex).MaxLength);
    }

    public static void WriteVariable(Span<byte> data, SegmentLayout layout, int tagIndex, int element, IpcDataType expected, ReadOnlySpan<byte> value)
    {
        var offset = ElementOffset(layout, tagIndex, element, expected);
        var max = layout.Tag(tagIndex).MaxLength;
        if (value.Length > max)
        {
            ThrowTooLong(layout.Tag(tagIndex), value.Length);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(data[offset..], (uint)value.Length);
        value.CopyTo(data[(offset + 4)..]);
        data.Slice(offset + 4 + value.Length, max - value.Length).Clear();
    }

    /// <summary>Encodes text as UTF-8, cut at a character boundary to MaxLength bytes (tags never reject text).</summary>
    public static void WriteString(Span<byte> data, SegmentLayout layout, int tagIndex, int element, ReadOnlySpan<char> text)
    {
        var offset = ElementOffset(layout, tagIndex, element, IpcDataType.String);
        var max = layout.Tag(tagIndex).MaxLength;
        var target = data.Slice(offset + 4, max);
        Encoding.UTF8.GetEncoder().Convert(text, target, flush: true, out _, out var written, out _);
        target[written..].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(data[offset..], (uint)written);
    }

    [DoesNotReturn]
    private static void ThrowTypeMismatch(TagDescriptor tag, IpcDataType expected) =>
        throw new ArgumentException($"tag '{tag.Name}' is {tag.DataType}, not {expected}");

    [DoesNotReturn]
    private static void ThrowElementOutOfRange(TagDescriptor tag, int element) =>
        throw new ArgumentOutOfRangeException(nameof(element), element, $"tag '{tag.Name}' has {tag.ArrayLength} element(s)");

    [DoesNotReturn]
    private static void ThrowTooLong(TagDescriptor tag, int length) =>
        throw new ArgumentException($"tag '{tag.Name}' holds at most {tag.MaxLength} bytes per element, got {length}");
}
