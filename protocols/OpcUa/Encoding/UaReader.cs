using System.Buffers.Binary;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>
/// Reads Part 6 §5.2 built-in values from a span. Every read is bounds-checked: running off the end, a negative
/// length other than -1 or a length above the remaining bytes throws <see cref="OpcUaProtocolException"/>,
/// so a malformed message can never crash or over-allocate.
/// </summary>
internal ref struct UaReader
{
    /// <summary>
    /// How deep nested values (Variant in Variant, DiagnosticInfo, structures in ExtensionObjects) may go: a hostile
    /// peer could otherwise recurse until the stack overflows.
    /// </summary>
    public const int MaxNestingDepth = 32;

    private readonly ReadOnlySpan<byte> _data;
    private int _extraDepth;

    public UaReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
    }

    public int Position { get; private set; }

    /// <summary>The current nesting depth; a reader over an embedded body starts at its parent's depth.</summary>
    public int Depth { get; init; }

    /// <summary>Enters one level of nesting for <paramref name="what"/>; throws when that goes past <see cref="MaxNestingDepth"/>.</summary>
    public void Enter(string what)
    {
        if (Depth + ++_extraDepth > MaxNestingDepth)
        {
            throw OpcUaProtocolException.Malformed($"{what} nested deeper than {MaxNestingDepth} levels");
        }
    }

    public void Leave() => _extraDepth--;

    /// <summary>A reader over an embedded body (an ExtensionObject's bytes) that continues this reader's depth count.</summary>
    public readonly UaReader Nested(ReadOnlySpan<byte> body) => new(body) { Depth = Depth + _extraDepth };

    public readonly int Remaining => _data.Length - Position;

    public bool ReadBoolean() => ReadByte() != 0;

    public byte ReadByte() => Take(1)[0];

    public sbyte ReadSByte() => (sbyte)Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public string? ReadString()
    {
        var length = ReadLength();
        return length < 0 ? null : UaText.Utf8.GetString(Take(length));
    }

    public byte[]? ReadByteString()
    {
        var length = ReadLength();
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>A ByteString's bytes as a view into the message (empty for null), for bodies decoded in place.</summary>
    public ReadOnlySpan<byte> ReadByteStringSpan(out bool isNull)
    {
        var length = ReadLength();
        isNull = length < 0;
        return isNull ? default : Take(length);
    }

    /// <summary>
    /// An array count checked before anything is allocated for it: -1 (null) or a count whose elements, at
    /// <paramref name="minElementSize"/> bytes each, fit in what is left of the message.
    /// </summary>
    public int ReadCount(int minElementSize)
    {
        var count = ReadLength();
        if ((long)count * minElementSize > Remaining)
        {
            throw OpcUaProtocolException.Malformed($"{count} elements of at least {minElementSize} bytes do not fit in the {Remaining} bytes left");
        }

        return count;
    }

    /// <summary>Skips a String/ByteString/XmlElement without copying it.</summary>
    public void SkipByteString()
    {
        var length = ReadLength();
        if (length > 0)
        {
            Take(length);
        }
    }

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public DateTime ReadDateTime()
    {
        var ticks = ReadInt64();

        // Part 6 §5.2.2.5: values before 1601 or beyond 9999 clamp to the representable range.
        if (ticks <= 0)
        {
            return DateTime.MinValue;
        }

        return ticks >= DateTime.MaxValue.ToFileTimeUtc() ? DateTime.MaxValue : DateTime.FromFileTimeUtc(ticks);
    }

    public Guid ReadGuid() => new(Take(16));

    /// <summary>An array or string length: -1 (null) or 0..Remaining (each element takes at least one byte).</summary>
    public int ReadLength()
    {
        var length = ReadInt32();
        if (length < -1 || length > Remaining)
        {
            throw OpcUaProtocolException.Malformed($"length {length} at offset {Position - 4} exceeds the {Remaining} bytes left");
        }

        return length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw OpcUaProtocolException.Malformed($"message ends at offset {_data.Length}, needed {count} more bytes at {Position}");
        }

        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }
}
