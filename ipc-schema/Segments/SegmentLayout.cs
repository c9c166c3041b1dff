using System.Buffers.Binary;
using System.Text;

namespace EdgePartition.Ipc;

/// <summary>
/// The immutable shape of a segment: tag table, slot offsets, sizes and schema hash. Writers build it from their
/// configuration; readers rebuild it from the file's tag table and get the same object.
/// </summary>
public sealed class SegmentLayout
{
    public const int MaxTags = 65_535;
    public const int MaxNameBytes = SegmentFormat.TagNameSize - 1;
    public const int MaxAddressBytes = SegmentFormat.TagAddressSize - 1;

    /// <summary>Largest value of one tag (all elements), so a segment stays far below 2 GiB.</summary>
    public const int MaxValueSize = 16 * 1024 * 1024;

    private readonly TagDescriptor[] _tags;
    private readonly TagSlot[] _slots;
    private readonly Dictionary<string, int> _indexByName;
    private readonly byte[] _tagTable;

    private SegmentLayout(TagDescriptor[] tags, int resultsCapacity)
    {
        _tags = tags;
        _slots = new TagSlot[tags.Length];
        _indexByName = new Dictionary<string, int>(tags.Length, StringComparer.Ordinal);
        ResultsCapacity = resultsCapacity;
        ValuesOffset = SegmentFormat.AlignUp(SegmentFormat.ResultsEntriesOffset + (resultsCapacity * SegmentFormat.ResultEntrySize), SegmentFormat.CacheLine);

        long offset = ValuesOffset;
        for (var i = 0; i < tags.Length; i++)
        {
            var tag = tags[i];
            Validate(tag);
            if (!_indexByName.TryAdd(tag.Name, i))
            {
                throw new ArgumentException($"tag name '{tag.Name}' appears twice", nameof(tags));
            }

            var elementSize = ElementSizeOf(tag.DataType, tag.MaxLength);
            var valueSize = (long)elementSize * tag.ArrayLength;
            if (valueSize > MaxValueSize)
            {
                throw new ArgumentException($"tag '{tag.Name}' needs {valueSize} bytes; at most {MaxValueSize} per tag", nameof(tags));
            }

            var slotSize = TagSlot.HeaderSize + SegmentFormat.AlignUp(valueSize, 8);
            if (slotSize <= SegmentFormat.CacheLine && (offset % SegmentFormat.CacheLine) + slotSize > SegmentFormat.CacheLine)
            {
                // A slot that fits a cache line never straddles two: its version word and value then move between
                // cores as one line, which is what makes a one-tag read cost a single transfer.
                offset = SegmentFormat.AlignUp(offset, SegmentFormat.CacheLine);
            }

            _slots[i] = new TagSlot(checked((int)offset), elementSize, (int)valueSize);
            offset += slotSize;
        }

        DataSize = checked((int)SegmentFormat.AlignUp(offset, SegmentFormat.CacheLine));
        DataOffset = SegmentFormat.AlignUp(SegmentFormat.HeaderSize + (tags.Length * SegmentFormat.TagEntrySize), SegmentFormat.CacheLine);
        SegmentSize = SegmentFormat.AlignUp((long)DataOffset + DataSize, SegmentFormat.PageSize);
        _tagTable = EncodeTagTable();
        SchemaHash = SegmentFormat.Fnv1a64(_tagTable);
    }

    public IReadOnlyList<TagDescriptor> Tags => _tags;

    public int TagCount => _tags.Length;

    /// <summary>FNV-1a 64 of the encoded tag table: equal hashes mean identical names, types, sizes and offsets.</summary>
    public ulong SchemaHash { get; }

    public int TagTableOffset => SegmentFormat.HeaderSize;

    /// <summary>Segment offset of the committed data area (status block, write results, tag slots).</summary>
    public int DataOffset { get; }

    /// <summary>Size of the committed data area; a snapshot copies this many bytes.</summary>
    public int DataSize { get; }

    /// <summary>Offset of the first tag slot within the data area.</summary>
    public int ValuesOffset { get; }

    public int ResultsCapacity { get; }

    /// <summary>File size, a whole number of pages.</summary>
    public long SegmentSize { get; }

    internal ReadOnlySpan<byte> EncodedTagTable => _tagTable;

    public static SegmentLayout Create(IReadOnlyList<TagDescriptor> tags, int resultsCapacity = SegmentFormat.DefaultResultsCapacity)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count > MaxTags)
        {
            throw new ArgumentException($"{tags.Count} tags; at most {MaxTags} per segment", nameof(tags));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resultsCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(resultsCapacity, 4096);
        var copy = new TagDescriptor[tags.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = tags[i] ?? throw new ArgumentException($"tag {i} is null", nameof(tags));
        }

        return new SegmentLayout(copy, resultsCapacity);
    }

    public TagSlot Slot(int tagIndex) => _slots[tagIndex];

    public TagDescriptor Tag(int tagIndex) => _tags[tagIndex];

    /// <summary>The index of <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming the tag.</summary>
    public int IndexOf(string name) =>
        _indexByName.TryGetValue(name, out var index) ? index : throw new KeyNotFoundException($"no tag named '{name}' in this segment");

    public bool TryGetIndex(string name, out int index) => _indexByName.TryGetValue(name, out index);

    /// <summary>Bytes per element: natural size for numbers, 4-byte length + MaxLength (rounded to 4) for String/Bytes.</summary>
    public static int ElementSizeOf(IpcDataType type, int maxLength) => type switch
    {
        IpcDataType.Bool or IpcDataType.Int8 or IpcDataType.UInt8 => 1,
        IpcDataType.Int16 or IpcDataType.UInt16 => 2,
        IpcDataType.Int32 or IpcDataType.UInt32 or IpcDataType.Float32 => 4,
        IpcDataType.Int64 or IpcDataType.UInt64 or IpcDataType.Float64 or IpcDataType.DateTime or IpcDataType.Duration => 8,
        IpcDataType.String or IpcDataType.Bytes => 4 + SegmentFormat.AlignUp(maxLength, 4),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown data type"),
    };

    /// <summary>Rebuilds a layout from a file's tag table; null with a reason when the table is not self-consistent.</summary>
    internal static SegmentLayout? TryDecode(ReadOnlySpan<byte> table, int tagCount, int resultsCapacity, out string problem)
    {
        var tags = new TagDescriptor[tagCount];
        for (var i = 0; i < tagCount; i++)
        {
            var entry = table.Slice(i * SegmentFormat.TagEntrySize, SegmentFormat.TagEntrySize);
            var type = (IpcDataType)BinaryPrimitives.ReadUInt16LittleEndian(entry[SegmentFormat.TagDataTypeOffset..]);
            if (!Enum.IsDefined(type))
            {
                problem = $"tag {i} has unknown data type {(ushort)type}";
                return null;
            }

            tags[i] = new TagDescriptor(
                ReadText(entry.Slice(SegmentFormat.TagNameOffset, SegmentFormat.TagNameSize)),
                type,
                (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[SegmentFormat.TagArrayLengthOffset..]),
                (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[SegmentFormat.TagMaxLengthOffset..]),
                ReadText(entry.Slice(SegmentFormat.TagAddressOffset, SegmentFormat.TagAddressSize)),
                (BinaryPrimitives.ReadUInt16LittleEndian(entry[SegmentFormat.TagFlagsOffset..]) & SegmentFormat.TagFlagWritable) != 0);
        }

        SegmentLayout layout;
        try
        {
            layout = new SegmentLayout(tags, resultsCapacity);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return null;
        }

        if (!layout.EncodedTagTable.SequenceEqual(table[..(tagCount * SegmentFormat.TagEntrySize)]))
        {
            problem = "tag table offsets or sizes do not follow the layout rules";
            return null;
        }

        problem = "";
        return layout;
    }

    private static string ReadText(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static void Validate(TagDescriptor tag)
    {
        if (string.IsNullOrEmpty(tag.Name) || Encoding.UTF8.GetByteCount(tag.Name) > MaxNameBytes || tag.Name.Contains('\0'))
        {
            throw new ArgumentException($"tag name '{tag.Name}' must be 1..{MaxNameBytes} UTF-8 bytes without NUL");
        }

        if (Encoding.UTF8.GetByteCount(tag.Address ?? "") > MaxAddressBytes)
        {
            throw new ArgumentException($"tag '{tag.Name}': address longer than {MaxAddressBytes} UTF-8 bytes");
        }

        if (!Enum.IsDefined(tag.DataType))
        {
            throw new ArgumentException($"tag '{tag.Name}': unknown data type {tag.DataType}");
        }

        if (tag.ArrayLength < 1)
        {
            throw new ArgumentException($"tag '{tag.Name}': array length must be at least 1");
        }

        var variable = tag.DataType is IpcDataType.String or IpcDataType.Bytes;
        if (variable && (tag.MaxLength < 1 || tag.MaxLength > MaxValueSize))
        {
            throw new ArgumentException($"tag '{tag.Name}': {tag.DataType} needs a max length of 1..{MaxValueSize} bytes");
        }

        if (!variable && tag.MaxLength != 0)
        {
            throw new ArgumentException($"tag '{tag.Name}': max length applies only to String and Bytes");
        }
    }

    private byte[] EncodeTagTable()
    {
        var table = new byte[_tags.Length * SegmentFormat.TagEntrySize];
        for (var i = 0; i < _tags.Length; i++)
        {
            var entry = table.AsSpan(i * SegmentFormat.TagEntrySize, SegmentFormat.TagEntrySize);
            var tag = _tags[i];
            var slot = _slots[i];
            Encoding.UTF8.GetBytes(tag.Name, entry.Slice(SegmentFormat.TagNameOffset, MaxNameBytes));
            Encoding.UTF8.GetBytes(tag.Address ?? "", entry.Slice(SegmentFormat.TagAddressOffset, MaxAddressBytes));
            BinaryPrimitives.WriteUInt16LittleEndian(entry[SegmentFormat.TagDataTypeOffset..], (ushort)tag.DataType);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[SegmentFormat.TagFlagsOffset..], tag.Writable ? SegmentFormat.TagFlagWritable : (ushort)0);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[SegmentFormat.TagArrayLengthOffset..], (uint)tag.ArrayLength);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[SegmentFormat.TagMaxLengthOffset..], (uint)tag.MaxLength);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[SegmentFormat.TagElementSizeOffset..], (uint)slot.ElementSize);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[SegmentFormat.TagSlotOffsetOffset..], (uint)slot.SlotOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[SegmentFormat.TagValueSizeOffset..], (uint)slot.ValueSize);
        }

        return table;
    }
}
