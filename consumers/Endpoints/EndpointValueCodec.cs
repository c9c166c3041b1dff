using System.Buffers.Binary;
using System.Text;
using EdgePartition.Ipc;
using EdgePartition.S7;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// Converts tag values between the segment's encoding (little-endian elements, UTF-8 strings with a length,
/// length-prefixed byte blocks) and an endpoint block's (big-endian elements, S7 STRING or packed characters, raw
/// bytes). Works on spans only: nothing is allocated per value.
/// </summary>
internal static class EndpointValueCodec
{
    /// <summary>Writes the tag's current value from <paramref name="value"/> (its slot's value bytes) into <paramref name="block"/>.</summary>
    public static void Encode(MappedTag tag, EndpointProtocol protocol, ReadOnlySpan<byte> value, Span<byte> block)
    {
        var target = block.Slice(tag.Offset, tag.Length);
        switch (tag.SegmentType)
        {
            case IpcDataType.Bytes:
                EncodeBytes(value, tag.SegmentMaxLength, target);
                return;
            case IpcDataType.String:
                int stride = SegmentLayout.ElementSizeOf(IpcDataType.String, tag.SegmentMaxLength);
                for (var i = 0; i < tag.ElementCount; i++)
                {
                    EncodeString(value.Slice(i * stride, stride), tag, protocol, target.Slice(i * tag.ElementSize, tag.ElementSize));
                }

                return;
            case IpcDataType.UInt8 when tag.ElementSize == 1:
                // A byte array packed byte for byte (sync's image): the same bytes both sides.
                value[..tag.ElementCount].CopyTo(target);
                return;
            default:
                int size = tag.SegmentElementSize;
                for (var i = 0; i < tag.ElementCount; i++)
                {
                    EncodeNumber(tag.SegmentType, value.Slice(i * size, size), target.Slice(i * tag.ElementSize, tag.ElementSize));
                }

                return;
        }
    }

    /// <summary>
    /// Converts a client write of <paramref name="data"/> at <paramref name="offset"/> bytes into the tag into the
    /// segment's encoding for the write queue: the byte offset in the tag's value and the bytes to enqueue.
    /// </summary>
    public static WriteConversion Decode(MappedTag tag, EndpointProtocol protocol, int offset, ReadOnlySpan<byte> data, Span<byte> output,
        out int segmentOffset, out int length)
    {
        segmentOffset = 0;
        length = 0;
        if (offset < 0 || offset + data.Length > tag.Length || data.IsEmpty)
        {
            return WriteConversion.OutOfRange;
        }

        switch (tag.SegmentType)
        {
            case IpcDataType.Bytes:
                // A Modbus write may cover the pad byte after an odd-sized block: it is dropped.
                length = Math.Min(data.Length, tag.SegmentMaxLength - offset);
                if (length <= 0)
                {
                    return WriteConversion.OutOfRange;
                }

                data[..length].CopyTo(output);
                segmentOffset = offset;
                return WriteConversion.Ok;
            case IpcDataType.String:
                return DecodeString(tag, protocol, offset, data, output, out length);
            default:
                return DecodeNumbers(tag, offset, data, output, out segmentOffset, out length);
        }
    }

    private static void EncodeBytes(ReadOnlySpan<byte> value, int maxLength, Span<byte> target)
    {
        var data = SlotElement.ReadVariable(value, maxLength);
        int count = Math.Min(data.Length, target.Length);
        data[..count].CopyTo(target);
        target[count..].Clear();
    }

    private static void EncodeString(ReadOnlySpan<byte> element, MappedTag tag, EndpointProtocol protocol, Span<byte> target)
    {
        var utf8 = SlotElement.ReadVariable(element, tag.SegmentMaxLength);
        Span<char> chars = stackalloc char[PartitionAddressMap.MaxS7StringCharacters * 4];
        int decoded = Encoding.UTF8.GetChars(utf8[..Math.Min(utf8.Length, chars.Length)], chars);
        if (protocol == EndpointProtocol.S7)
        {
            // An S7 STRING[n] as the PLC holds it: Latin-1, other characters served as '?'.
            S7ValueCodec.SetText(S7DataType.String, target, tag.StringCharacters, chars[..decoded]);
            return;
        }

        // Modbus: Latin-1 characters packed two per register, no header; characters beyond Latin-1 become '?'.
        decoded = Math.Min(decoded, Math.Min(tag.StringCharacters, target.Length));
        for (var i = 0; i < decoded; i++)
        {
            target[i] = chars[i] <= '\u00FF' ? (byte)chars[i] : (byte)'?';
        }

        target[decoded..].Clear();
    }

    private static void EncodeNumber(IpcDataType type, ReadOnlySpan<byte> source, Span<byte> target)
    {
        switch (type)
        {
            case IpcDataType.Bool:
                WriteNarrow(target, source[0] != 0 ? 1 : 0);
                break;
            case IpcDataType.Int8:
                WriteNarrow(target, (sbyte)source[0]);
                break;
            case IpcDataType.UInt8:
                WriteNarrow(target, source[0]);
                break;
            default:
                // Same width both sides: a little-endian element becomes big-endian by reversing its bytes.
                source.CopyTo(target);
                target[..source.Length].Reverse();
                break;
        }
    }

    /// <summary>A one-byte value: one byte on S7, a whole (sign-extended) register on Modbus.</summary>
    private static void WriteNarrow(Span<byte> target, int value)
    {
        if (target.Length == 1)
        {
            target[0] = (byte)value;
        }
        else
        {
            BinaryPrimitives.WriteInt16BigEndian(target, (short)value);
        }
    }

    private static WriteConversion DecodeNumbers(MappedTag tag, int offset, ReadOnlySpan<byte> data, Span<byte> output,
        out int segmentOffset, out int length)
    {
        segmentOffset = 0;
        length = 0;
        int size = tag.ElementSize;
        if (offset % size != 0 || data.Length % size != 0)
        {
            return WriteConversion.PartialElement;
        }

        int segmentSize = tag.SegmentElementSize;
        int elements = data.Length / size;
        for (var i = 0; i < elements; i++)
        {
            var source = data.Slice(i * size, size);
            var target = output.Slice(i * segmentSize, segmentSize);
            switch (tag.SegmentType)
            {
                case IpcDataType.Bool:
                    int flag = ReadNarrow(source);
                    if (flag is not (0 or 1))
                    {
                        return WriteConversion.BadValue;
                    }

                    target[0] = (byte)flag;
                    break;
                case IpcDataType.Int8 or IpcDataType.UInt8:
                    // S7 sends the byte itself; Modbus a whole register that must hold a value the byte can take.
                    int number = ReadNarrow(source);
                    bool fits = size == 1 || (tag.SegmentType == IpcDataType.Int8 ? number is >= sbyte.MinValue and <= sbyte.MaxValue : number is >= 0 and <= byte.MaxValue);
                    if (!fits)
                    {
                        return WriteConversion.BadValue;
                    }

                    target[0] = (byte)number;
                    break;
                default:
                    source.CopyTo(target);
                    target.Reverse();
                    break;
            }
        }

        segmentOffset = offset / size * segmentSize;
        length = elements * segmentSize;
        return WriteConversion.Ok;
    }

    private static int ReadNarrow(ReadOnlySpan<byte> source) => source.Length == 1 ? source[0] : BinaryPrimitives.ReadInt16BigEndian(source);

    private static WriteConversion DecodeString(MappedTag tag, EndpointProtocol protocol, int offset, ReadOnlySpan<byte> data, Span<byte> output,
        out int length)
    {
        length = 0;

        // Text is written whole: one element (arrays of strings: the first), from its start.
        if (offset != 0 || tag.ElementCount != 1)
        {
            return WriteConversion.PartialElement;
        }

        ReadOnlySpan<byte> text;
        if (protocol == EndpointProtocol.S7)
        {
            if (data.Length < 2)
            {
                return WriteConversion.PartialElement;
            }

            text = data.Slice(2, Math.Min(data[1], data.Length - 2));
        }
        else
        {
            int end = data.IndexOf((byte)0);
            text = end < 0 ? data : data[..end];
        }

        if (text.Length > tag.StringCharacters)
        {
            return WriteConversion.BadValue;
        }

        Span<char> chars = stackalloc char[PartitionAddressMap.MaxS7StringCharacters];
        int count = Encoding.Latin1.GetChars(text, chars);
        if (Encoding.UTF8.GetByteCount(chars[..count]) > tag.SegmentMaxLength)
        {
            return WriteConversion.BadValue;
        }

        length = Encoding.UTF8.GetBytes(chars[..count], output);
        return WriteConversion.Ok;
    }
}

/// <summary>Whether a client write could be turned into a write request, and if not, why.</summary>
internal enum WriteConversion
{
    Ok,

    /// <summary>The bytes pass the tag's end.</summary>
    OutOfRange,

    /// <summary>Not whole elements (or not a whole string from its start).</summary>
    PartialElement,

    /// <summary>A value the tag cannot hold (a BOOL other than 0/1, a byte out of range, text too long).</summary>
    BadValue,
}
