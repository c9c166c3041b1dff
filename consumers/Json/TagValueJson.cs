using System.Text.Json;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Json;

/// <summary>
/// Writes a tag's value, quality and source time from a committed data-area image (SCHEMA.md slot encoding) as
/// JSON, reading the slot through ipc-schema (<see cref="SlotElement"/>, <see cref="ElementJson"/>): no boxing, no
/// intermediate objects. Scalars are JSON scalars, arrays are JSON arrays, elements as <see cref="ElementJson"/>
/// renders them (Bytes: arrays of numbers); date/times are ISO 8601 UTC, durations milliseconds.
/// </summary>
public static class TagValueJson
{
    public static uint Quality(ReadOnlySpan<byte> data, TagSlot slot) => SlotElement.Quality(data, slot);

    public static long SourceTimestampNs(ReadOnlySpan<byte> data, TagSlot slot) => SlotElement.SourceTimestampNs(data, slot);

    /// <summary>"good", "uncertain" or "bad": the severity bits of the StatusCode.</summary>
    public static string Severity(uint quality) =>
        IpcQuality.IsGood(quality) ? "good" : IpcQuality.IsUncertain(quality) ? "uncertain" : "bad";

    /// <summary>Writes <c>"value":…,"quality":…,["qualityCode":…,]"ts":…</c> into the current object.</summary>
    public static void WriteSample(Utf8JsonWriter writer, ReadOnlySpan<byte> data, TagDescriptor tag, TagSlot slot)
    {
        writer.WritePropertyName("value"u8);
        WriteValue(writer, data, tag, slot);
        var quality = Quality(data, slot);
        writer.WriteString("quality"u8, Severity(quality));
        if (quality != IpcQuality.Good)
        {
            writer.WriteString("qualityCode"u8, IpcQuality.Describe(quality));
        }

        writer.WritePropertyName("ts"u8);
        WriteTime(writer, SourceTimestampNs(data, slot));
    }

    /// <summary>ISO 8601 UTC, or null for 0 ("never").</summary>
    public static void WriteTime(Utf8JsonWriter writer, long unixNs)
    {
        if (unixNs == 0)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(UnixTime.FromNs(unixNs));
        }
    }

    public static void WriteValue(Utf8JsonWriter writer, ReadOnlySpan<byte> data, TagDescriptor tag, TagSlot slot)
    {
        var value = data.Slice(slot.ValueOffset, slot.ValueSize);
        if (tag.ArrayLength == 1)
        {
            WriteElement(writer, value, tag);
            return;
        }

        writer.WriteStartArray();
        for (var i = 0; i < tag.ArrayLength; i++)
        {
            WriteElement(writer, value.Slice(i * slot.ElementSize, slot.ElementSize), tag);
        }

        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, ReadOnlySpan<byte> element, TagDescriptor tag) =>
        ElementJson.Write(writer, tag.DataType, element, tag.MaxLength, WriteApiTime);

    /// <summary>DateTime as ISO 8601 UTC (null for 0), Duration as milliseconds.</summary>
    private static void WriteApiTime(Utf8JsonWriter writer, IpcDataType type, long nanoseconds)
    {
        if (type == IpcDataType.DateTime)
        {
            WriteTime(writer, nanoseconds);
        }
        else
        {
            writer.WriteNumberValue(nanoseconds / 1e6);
        }
    }
}
