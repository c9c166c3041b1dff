using System.Globalization;
using System.Text.Json;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Writes;

/// <summary>
/// Turns a JSON value for a tag into the write request's bytes and byte offset, element by element through
/// ipc-schema's <see cref="ElementJsonReader"/> (the inverse of what the API renders): a scalar for a scalar tag, a
/// JSON array of every element for an array tag, or one element with an index. A Bool element is one byte, and
/// the collector writes it as one bit, so a bit write touches only its bit. Times as the API renders them:
/// DateTime ISO 8601, Duration milliseconds.
/// </summary>
internal static class WriteValueEncoder
{
    /// <summary>Null and the bytes to enqueue, or why the value does not fit (<paramref name="bytes"/> empty).</summary>
    public static string? TryEncode(TagDescriptor tag, TagSlot slot, JsonElement value, int? index, out byte[] bytes, out int byteOffset)
    {
        bytes = [];
        byteOffset = 0;
        var variable = tag.DataType is IpcDataType.String or IpcDataType.Bytes;
        if (variable && (tag.ArrayLength > 1 || index is > 0))
        {
            return $"'{tag.Name}' is an array of {tag.DataType}: only whole single {tag.DataType} tags are writable";
        }

        if (index is { } element)
        {
            if (element < 0 || element >= tag.ArrayLength)
            {
                return $"index {element} is outside '{tag.Name}' ({tag.ArrayLength} element(s))";
            }

            byteOffset = element * slot.ElementSize;
            return EncodeElements(tag, slot, [value], out bytes);
        }

        if (tag.ArrayLength == 1)
        {
            return EncodeElements(tag, slot, [value], out bytes);
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != tag.ArrayLength)
        {
            return $"'{tag.Name}' has {tag.ArrayLength} elements: send an array of {tag.ArrayLength} values, or one value with \"index\"";
        }

        return EncodeElements(tag, slot, [.. value.EnumerateArray()], out bytes);
    }

    private static string? EncodeElements(TagDescriptor tag, TagSlot slot, JsonElement[] values, out byte[] bytes)
    {
        // Fixed-size elements are written back to back at their stride; String and Bytes are one element, unpadded.
        var stride = slot.ElementSize;
        var buffer = new byte[stride * values.Length];
        var length = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var error = ElementJsonReader.TryEncode(values[i], tag.DataType, tag.MaxLength, ReadApiTime, buffer.AsSpan(i * stride), out var written);
            if (error is not null)
            {
                bytes = [];
                return values.Length == 1 ? error : $"element {i}: {error}";
            }

            length = (i * stride) + written;
        }

        bytes = buffer.AsSpan(0, length).ToArray();
        return null;
    }

    /// <summary>DateTime as ISO 8601 (UTC unless an offset is given), Duration as milliseconds: as TagValueJson writes them.</summary>
    private static string? ReadApiTime(JsonElement value, IpcDataType type, out long nanoseconds)
    {
        nanoseconds = 0;
        if (type == IpcDataType.Duration)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var ms) || !double.IsFinite(ms) || Math.Abs(ms) > long.MaxValue / 1e6)
            {
                return "expected a duration in milliseconds";
            }

            nanoseconds = (long)Math.Round(ms * 1e6);
            return null;
        }

        if (value.ValueKind != JsonValueKind.String ||
            !DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return "expected an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z";
        }

        nanoseconds = UnixTime.ToNs(time);
        return null;
    }
}
