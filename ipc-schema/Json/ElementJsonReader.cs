using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace EdgePartition.Ipc;

/// <summary>
/// The inverse of <see cref="ElementJson"/>: one JSON element as <see cref="ElementJson"/> renders it, turned into
/// the bytes a write request carries (SCHEMA.md §5): fixed-size types as their segment element (little-endian, Bool
/// one byte 0/1), String as its UTF-8 text, Bytes as the bytes. The value must fit the type: integers in the type's
/// range and without a fraction, Float32 within float's range, text within MaxLength UTF-8 bytes. DateTime and
/// Duration follow the caller's document rules (a <see cref="TimeReader"/>), as they do when written.
/// </summary>
public static class ElementJsonReader
{
    /// <summary>
    /// Encodes <paramref name="value"/> for a tag element of <paramref name="type"/> into <paramref name="output"/>.
    /// </summary>
    /// <returns>Null on success (<paramref name="written"/> bytes); otherwise why the value does not fit.</returns>
    public static string? TryEncode(JsonElement value, IpcDataType type, int maxLength, TimeReader readTime, Span<byte> output, out int written)
    {
        ArgumentNullException.ThrowIfNull(readTime);
        written = 0;
        switch (type)
        {
            case IpcDataType.Bool:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) &&
                    !(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var bit) && bit is 0 or 1))
                {
                    return "expected true or false";
                }

                output[0] = value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.Number && value.GetInt64() == 1) ? (byte)1 : (byte)0;
                written = 1;
                return null;
            case IpcDataType.Float32 or IpcDataType.Float64:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    return "expected a finite number";
                }

                if (type == IpcDataType.Float32)
                {
                    if (Math.Abs(number) > float.MaxValue)
                    {
                        return $"{number} is outside the range of a 32-bit float";
                    }

                    BinaryPrimitives.WriteSingleLittleEndian(output, (float)number);
                    written = 4;
                }
                else
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(output, number);
                    written = 8;
                }

                return null;
            case IpcDataType.UInt64:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetUInt64(out var unsigned))
                {
                    return $"expected an integer 0..{ulong.MaxValue}";
                }

                BinaryPrimitives.WriteUInt64LittleEndian(output, unsigned);
                written = 8;
                return null;
            case IpcDataType.Int8 or IpcDataType.UInt8 or IpcDataType.Int16 or IpcDataType.UInt16 or IpcDataType.Int32 or IpcDataType.UInt32 or IpcDataType.Int64:
                return TryEncodeInteger(value, type, output, out written);
            case IpcDataType.DateTime or IpcDataType.Duration:
                if (readTime(value, type, out var nanoseconds) is { } timeError)
                {
                    return timeError;
                }

                BinaryPrimitives.WriteInt64LittleEndian(output, nanoseconds);
                written = 8;
                return null;
            case IpcDataType.String:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return "expected a string";
                }

                var text = value.GetString()!;
                var bytes = Encoding.UTF8.GetByteCount(text);
                if (bytes > maxLength || bytes > output.Length)
                {
                    return $"text of {bytes} UTF-8 bytes is longer than the tag's {maxLength}";
                }

                written = Encoding.UTF8.GetBytes(text, output);
                return null;
            case IpcDataType.Bytes:
                return TryEncodeBytes(value, maxLength, output, out written);
            default:
                return $"values of type {type} cannot be written";
        }
    }

    private static string? TryEncodeInteger(JsonElement value, IpcDataType type, Span<byte> output, out int written)
    {
        written = 0;
        var (min, max, size) = type switch
        {
            IpcDataType.Int8 => (sbyte.MinValue, sbyte.MaxValue, 1),
            IpcDataType.UInt8 => (byte.MinValue, byte.MaxValue, 1),
            IpcDataType.Int16 => (short.MinValue, short.MaxValue, 2),
            IpcDataType.UInt16 => (ushort.MinValue, ushort.MaxValue, 2),
            IpcDataType.Int32 => (int.MinValue, int.MaxValue, 4),
            IpcDataType.UInt32 => (uint.MinValue, uint.MaxValue, 4),
            _ => (long.MinValue, long.MaxValue, 8),
        };
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var integer) || integer < min || integer > max)
        {
            return $"expected an integer {min}..{max} ({type})";
        }

        Span<byte> full = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(full, integer);
        full[..size].CopyTo(output);
        written = size;
        return null;
    }

    private static string? TryEncodeBytes(JsonElement value, int maxLength, Span<byte> output, out int written)
    {
        written = 0;
        if (value.ValueKind != JsonValueKind.Array)
        {
            return "expected an array of numbers 0..255";
        }

        var count = value.GetArrayLength();
        if (count == 0 || count > maxLength || count > output.Length)
        {
            return $"expected 1..{maxLength} bytes, got {count}";
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetByte(out var b))
            {
                return "expected an array of numbers 0..255";
            }

            output[written++] = b;
        }

        return null;
    }
}

/// <summary>Reads a DateTime (ns since 1970) or Duration (ns) element as a document renders times; null or why not.</summary>
public delegate string? TimeReader(JsonElement value, IpcDataType type, out long nanoseconds);
