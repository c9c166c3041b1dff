using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Modbus.Data;
using EdgePartition.S7;

namespace EdgePartition.Sync.Image;

/// <summary>
/// Turns a tag's segment value back into the bytes the device holds (its <see cref="TagConfig.ByteLength"/>, in the
/// device's byte order), because the merged image is copied raw into PLC memory: S7 types through
/// <see cref="S7ValueCodec"/> (STRING Latin-1, WSTRING UTF-16 big-endian, times and dates in their PLC layouts),
/// Modbus text and register order through <see cref="ModbusRegisterCodec"/>, other fixed types big-endian, byte
/// blocks as they are, scaled tags converted back to raw. The device format was decided
/// when the contribution was bound (<see cref="DeviceValueFormat"/>). Allocation-free for text up to 512 characters.
/// </summary>
internal static class RawValueEncoder
{
    private const int StackChars = 512;

    /// <summary>Writes <paramref name="target"/>.Length bytes; false when the type cannot be reproduced raw.</summary>
    public static bool TryEncode(SegmentSnapshot snapshot, int tagIndex, in DeviceValueFormat format, Span<byte> target)
    {
        var descriptor = snapshot.Layout.Tag(tagIndex);
        switch (descriptor.DataType)
        {
            case IpcDataType.Bytes:
                CopyPadded(snapshot.GetBytes(tagIndex), target);
                return true;
            case IpcDataType.Bool or IpcDataType.UInt8 or IpcDataType.Int8:
                CopyPadded(snapshot.GetValueSpan(tagIndex), target);
                return true;
            case IpcDataType.String:
                return EncodeStrings(snapshot, tagIndex, format, target);
            case IpcDataType.DateTime or IpcDataType.Duration when format.S7Type is { } s7:
                return EncodeS7Times(snapshot.GetValueSpan(tagIndex), descriptor.ArrayLength, s7, target);
            case IpcDataType.DateTime:
                return false;
            default:
                return EncodeNumbers(snapshot.GetValueSpan(tagIndex), descriptor, format, target);
        }
    }

    /// <summary>A tag read as a flag: any non-zero byte in its first element (BOOL, integers, bits of a byte).</summary>
    public static bool ReadFlag(SegmentSnapshot snapshot, int tagIndex)
    {
        var slot = snapshot.Layout.Slot(tagIndex);
        var element = snapshot.GetValueSpan(tagIndex)[..slot.ElementSize];
        if (snapshot.Layout.Tag(tagIndex).DataType is IpcDataType.Bytes or IpcDataType.String)
        {
            element = snapshot.GetBytes(tagIndex);
        }

        return element.IndexOfAnyExcept((byte)0) >= 0;
    }

    private static void CopyPadded(ReadOnlySpan<byte> source, Span<byte> target)
    {
        var length = Math.Min(source.Length, target.Length);
        source[..length].CopyTo(target);
        target[length..].Clear();
    }

    /// <summary>S7 STRING/WSTRING elements (header and characters), Modbus characters packed in registers.</summary>
    private static bool EncodeStrings(SegmentSnapshot snapshot, int tagIndex, in DeviceValueFormat format, Span<byte> target)
    {
        var count = snapshot.Layout.Tag(tagIndex).ArrayLength;
        var stride = format.S7Type is { } s7 ? S7DataTypes.SizeOfArray(s7, count, format.StringLength) / count : target.Length / count;
        if (format.S7Type is not (null or S7DataType.String or S7DataType.WString) || stride * count > target.Length)
        {
            return false;
        }

        target.Clear();
        Span<char> stackChars = stackalloc char[StackChars];
        for (var e = 0; e < count; e++)
        {
            var utf8 = snapshot.GetStringUtf8(tagIndex, e);
            char[]? rented = null;
            var chars = utf8.Length <= StackChars ? stackChars : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
            try
            {
                var text = chars[..Encoding.UTF8.GetChars(utf8, chars)];
                var element = target.Slice(e * stride, stride);
                if (format.S7Type is { } type)
                {
                    S7ValueCodec.SetText(type, element, format.StringLength, text);
                }
                else
                {
                    EncodeRegisterText(text, format, element);
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        return true;
    }

    /// <summary>Modbus (and other) text: Latin-1 characters two per big-endian register, NUL-padded, cut to fit.</summary>
    private static void EncodeRegisterText(ReadOnlySpan<char> text, in DeviceValueFormat format, Span<byte> target)
    {
        Span<ushort> registers = stackalloc ushort[StackChars / 2];
        registers = registers[..Math.Min(registers.Length, target.Length / 2)];
        ModbusRegisterCodec.WriteString(text[..Math.Min(text.Length, 2 * registers.Length)], registers, format.ModbusOrder);
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(target[(2 * i)..], registers[i]);
        }
    }

    /// <summary>S7 TIME/LTIME/S5TIME/TIME_OF_DAY from nanoseconds, DATE/DATE_AND_TIME/DTL from Unix nanoseconds.</summary>
    private static bool EncodeS7Times(ReadOnlySpan<byte> values, int count, S7DataType type, Span<byte> target)
    {
        var size = S7DataTypes.SizeOf(type);
        if (size * count > target.Length)
        {
            return false;
        }

        var dates = type is S7DataType.Date or S7DataType.DateAndTime or S7DataType.Dtl;
        for (var e = 0; e < count; e++)
        {
            var ns = SlotElement.ReadInteger(IpcDataType.Int64, values[(8 * e)..]);
            var element = target.Slice(e * size, size);
            try
            {
                if (dates)
                {
                    S7ValueCodec.SetUnixNs(type, element, ns);
                }
                else
                {
                    S7ValueCodec.SetDurationNs(type, element, ns);
                }
            }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
            {
                // A value the PLC type cannot hold is not written; the warning names the tag once.
                return false;
            }
        }

        target[(count * size)..].Clear();
        return true;
    }

    private static bool EncodeNumbers(ReadOnlySpan<byte> values, TagDescriptor descriptor, in DeviceValueFormat format, Span<byte> target)
    {
        var count = descriptor.ArrayLength;
        var sourceSize = values.Length / count;
        var targetSize = target.Length / count;
        if (targetSize is not (1 or 2 or 4 or 8))
        {
            return false;
        }

        var scaled = format.Scaled;
        Span<ushort> registers = stackalloc ushort[4];
        for (var i = 0; i < count; i++)
        {
            var source = values.Slice(i * sourceSize, sourceSize);
            var destination = target.Slice(i * targetSize, targetSize);
            if (!scaled && sourceSize == targetSize && descriptor.DataType != IpcDataType.Duration)
            {
                // Same width: only the byte order differs (segment values are little-endian).
                source.CopyTo(destination);
                destination.Reverse();
            }
            else if (scaled || descriptor.DataType is IpcDataType.Float32 or IpcDataType.Float64)
            {
                var value = SlotElement.ReadNumber(descriptor.DataType, source);
                if (scaled)
                {
                    value = (value - format.ScaleOffset) / format.Scale;
                }

                if (format.FloatTarget)
                {
                    WriteFloat(destination, value);
                }
                else
                {
                    WriteInteger(destination, (long)Math.Round(value));
                }
            }
            else
            {
                var value = SlotElement.ReadInteger(descriptor.DataType, source);
                if (descriptor.DataType == IpcDataType.Duration)
                {
                    // Durations are stored in ns; a 4-byte device duration is ms (an 8-byte one is ns).
                    value = targetSize == 8 ? value : value / 1_000_000;
                }

                WriteInteger(destination, value);
            }

            if (format.Protocol == Protocol.Modbus)
            {
                ToRegisterOrder(destination, format.ModbusOrder, registers);
            }
        }

        target[(count * targetSize)..].Clear();
        return true;
    }

    private static void WriteInteger(Span<byte> destination, long value)
    {
        switch (destination.Length)
        {
            case 1: destination[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteInt16BigEndian(destination, (short)value); break;
            case 4: BinaryPrimitives.WriteInt32BigEndian(destination, (int)value); break;
            default: BinaryPrimitives.WriteInt64BigEndian(destination, value); break;
        }
    }

    private static void WriteFloat(Span<byte> destination, double value)
    {
        switch (destination.Length)
        {
            case 4: BinaryPrimitives.WriteSingleBigEndian(destination, (float)value); break;
            case 8: BinaryPrimitives.WriteDoubleBigEndian(destination, value); break;
            default: WriteInteger(destination, (long)Math.Round(value)); break;
        }
    }

    /// <summary>Modbus: the big-endian value laid out in registers in the tag's byte order, by the Modbus codec.</summary>
    private static void ToRegisterOrder(Span<byte> value, ModbusByteOrder order, Span<ushort> registers)
    {
        switch (value.Length)
        {
            case 2: ModbusRegisterCodec.WriteUInt16(BinaryPrimitives.ReadUInt16BigEndian(value), registers, order); break;
            case 4: ModbusRegisterCodec.WriteUInt32(BinaryPrimitives.ReadUInt32BigEndian(value), registers, order); break;
            case 8: ModbusRegisterCodec.WriteUInt64(BinaryPrimitives.ReadUInt64BigEndian(value), registers, order); break;
            default: return;
        }

        for (var i = 0; i < value.Length / 2; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(2 * i)..], registers[i]);
        }
    }
}
