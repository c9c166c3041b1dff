using System.Buffers.Binary;
using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Sync.Image;

/// <summary>
/// Turns a tag's segment value back into the bytes the device holds (its <see cref="TagConfig.ByteLength"/>, in the
/// device's byte order), because the merged image is copied raw into PLC memory: S7 and OPC UA/sim fixed types are
/// big-endian, Modbus follows the tag's <see cref="ByteOrder"/>, byte blocks are copied as they are, scaled tags are
/// converted back to raw. Allocation-free; the value is read from a snapshot already copied out of shared memory.
/// </summary>
internal static class RawValueEncoder
{
    /// <summary>Writes <paramref name="target"/>.Length bytes; false when the type cannot be reproduced raw.</summary>
    public static bool TryEncode(SegmentSnapshot snapshot, int tagIndex, TagConfig tag, Protocol protocol, Span<byte> target)
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
                EncodeString(snapshot.GetStringUtf8(tagIndex), tag, protocol, target);
                return true;
            case IpcDataType.DateTime:
                return false;
            default:
                return EncodeNumbers(snapshot.GetValueSpan(tagIndex), descriptor, tag, protocol, target);
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

    /// <summary>S7 STRING is max length, actual length, characters; elsewhere the text is copied and zero-padded.</summary>
    private static void EncodeString(ReadOnlySpan<byte> utf8, TagConfig tag, Protocol protocol, Span<byte> target)
    {
        if (protocol == Protocol.S7 && tag.DataType == "STRING" && target.Length >= 2)
        {
            var max = Math.Min(target.Length - 2, 254);
            var length = Math.Min(utf8.Length, max);
            target[0] = (byte)max;
            target[1] = (byte)length;
            CopyPadded(utf8[..length], target[2..]);
            return;
        }

        CopyPadded(utf8, target);
    }

    private static bool EncodeNumbers(ReadOnlySpan<byte> values, TagDescriptor descriptor, TagConfig tag, Protocol protocol, Span<byte> target)
    {
        var count = descriptor.ArrayLength;
        var sourceSize = values.Length / count;
        var targetSize = target.Length / count;
        if (targetSize is not (1 or 2 or 4 or 8))
        {
            return false;
        }

        var scaled = tag.Scale != 1 || tag.ScaleOffset != 0;
        var floatTarget = IsFloatType(tag.DataType);
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
                var value = ReadDouble(source, descriptor.DataType);
                if (scaled)
                {
                    value = (value - tag.ScaleOffset) / tag.Scale;
                }

                if (floatTarget)
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
                var value = ReadInteger(source, descriptor.DataType);
                if (descriptor.DataType == IpcDataType.Duration)
                {
                    // Durations are stored in ns; PLC TIME is ms (LTIME, 8 bytes, is ns).
                    value = targetSize == 8 ? value : value / 1_000_000;
                }

                WriteInteger(destination, value);
            }

            if (protocol == Protocol.Modbus)
            {
                ApplyByteOrder(destination, tag.ByteOrder);
            }
        }

        target[(count * targetSize)..].Clear();
        return true;
    }

    private static bool IsFloatType(string type) => type is "REAL" or "LREAL" or "float32" or "float64" or "Float" or "Double";

    private static double ReadDouble(ReadOnlySpan<byte> source, IpcDataType type) => type switch
    {
        IpcDataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(source),
        IpcDataType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(source),
        IpcDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(source),
        _ => ReadInteger(source, type),
    };

    private static long ReadInteger(ReadOnlySpan<byte> source, IpcDataType type) => type switch
    {
        IpcDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(source),
        IpcDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(source),
        IpcDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(source),
        IpcDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(source),
        IpcDataType.Float32 => (long)BinaryPrimitives.ReadSingleLittleEndian(source),
        IpcDataType.Float64 => (long)BinaryPrimitives.ReadDoubleLittleEndian(source),
        _ => BinaryPrimitives.ReadInt64LittleEndian(source),
    };

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

    /// <summary>From big-endian ABCD to the order the device stores: words swapped, bytes in words swapped, or reversed.</summary>
    internal static void ApplyByteOrder(Span<byte> value, ByteOrder order)
    {
        switch (order)
        {
            case ByteOrder.DCBA:
                value.Reverse();
                break;
            case ByteOrder.BADC:
                for (var i = 0; i + 1 < value.Length; i += 2)
                {
                    (value[i], value[i + 1]) = (value[i + 1], value[i]);
                }

                break;
            case ByteOrder.CDAB:
                // Reverse the order of the 16-bit words, keeping each word's bytes: reverse all, then each word.
                value.Reverse();
                for (var i = 0; i + 1 < value.Length; i += 2)
                {
                    (value[i], value[i + 1]) = (value[i + 1], value[i]);
                }

                break;
        }
    }
}
