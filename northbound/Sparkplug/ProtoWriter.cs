using System.Buffers.Binary;
using System.Text;

namespace EdgePartition.Northbound.Sparkplug;

/// <summary>
/// A reusable protobuf output buffer (wire format: varints, little-endian fixed, length-delimited), grown on demand
/// and kept, so steady-state encoding allocates nothing. Nested messages are written by reserving the length varint
/// after measuring the child with a second writer (see <see cref="WriteMessage"/>).
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer;
    private int _length;

    public ProtoWriter(int initialCapacity = 1024) => _buffer = new byte[initialCapacity];

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Cuts back to an earlier length (a metric that turned out not to be sent).</summary>
    public void Truncate(int length) => _length = length;

    public void WriteTag(int field, WireType type) => WriteVarint(((ulong)field << 3) | (uint)type);

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    public void WriteUInt64Field(int field, ulong value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint(value);
    }

    public void WriteBoolField(int field, bool value) => WriteUInt64Field(field, value ? 1UL : 0UL);

    public void WriteFloatField(int field, float value)
    {
        WriteTag(field, WireType.Fixed32);
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteDoubleField(int field, double value)
    {
        WriteTag(field, WireType.Fixed64);
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteBytesField(int field, ReadOnlySpan<byte> bytes)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        WriteRaw(bytes);
    }

    public void WriteStringField(int field, string text)
    {
        WriteTag(field, WireType.LengthDelimited);
        var count = Encoding.UTF8.GetByteCount(text);
        WriteVarint((ulong)count);
        Ensure(count);
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    /// <summary>A nested message already encoded in <paramref name="child"/>.</summary>
    public void WriteMessage(int field, ProtoWriter child) => WriteBytesField(field, child.Written);

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Reserves <paramref name="count"/> bytes to be filled in place (packed arrays).</summary>
    public Span<byte> Reserve(int count)
    {
        Ensure(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public byte[] ToArray() => Written.ToArray();

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}

/// <summary>Protobuf wire types (protobuf encoding guide, "Message Structure").</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
