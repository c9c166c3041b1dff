using System.Buffers.Binary;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>
/// Appends Part 6 §5.2 built-in values, little-endian, to a growable buffer that is reused between messages
/// (<see cref="Reset"/>), so steady-state encoding does not allocate.
/// </summary>
internal sealed class UaWriter
{
    private byte[] _buffer;

    public UaWriter(int capacity = 1024) => _buffer = new byte[capacity];

    public int Position { get; set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Position);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Position);

    public void Reset() => Position = 0;

    /// <summary>Reserves <paramref name="count"/> bytes to fill later (lengths, headers) and returns their offset.</summary>
    public int Reserve(int count)
    {
        var at = Position;
        Span(count);
        return at;
    }

    /// <summary>Already-written bytes to fill in place (a reserved header).</summary>
    public Span<byte> At(int offset, int count) => _buffer.AsSpan(offset, count);

    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(offset), value);

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteByte(byte value) => Span(1)[0] = value;

    public void WriteSByte(sbyte value) => Span(1)[0] = (byte)value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Span(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Span(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Span(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Span(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Span(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Span(8), value);

    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleLittleEndian(Span(4), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Span(8), value);

    /// <summary>UTF-8 with an Int32 byte length; null is length -1.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        System.Text.Encoding.UTF8.GetBytes(value, Span(length));
    }

    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        value.CopyTo(Span(value.Length));
    }

    public void WriteNullByteString() => WriteInt32(-1);

    /// <summary>A ByteString that may be null (length -1).</summary>
    public void WriteNullableByteString(byte[]? value)
    {
        if (value is null)
        {
            WriteNullByteString();
        }
        else
        {
            WriteByteString(value);
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Span(value.Length));

    /// <summary>100-ns ticks since 1601-01-01 UTC; MinValue encodes as 0 (null).</summary>
    public void WriteDateTime(DateTime value) =>
        WriteInt64(value <= DateTime.FromFileTimeUtc(0) ? 0 : value.ToUniversalTime().ToFileTimeUtc());

    public void WriteGuid(Guid value)
    {
        // Data1/2/3 little-endian then Data4 as bytes: the same layout as Guid.TryWriteBytes.
        value.TryWriteBytes(Span(16));
    }

    private Span<byte> Span(int count)
    {
        if (Position + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Position + count));
        }

        var span = _buffer.AsSpan(Position, count);
        Position += count;
        return span;
    }
}

