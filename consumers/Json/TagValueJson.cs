using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Json;

/// <summary>
/// Writes a tag's value, quality and source time from a committed data-area image (SCHEMA.md slot encoding) as
/// JSON, reading the bytes directly: no boxing, no intermediate objects. Scalars are JSON scalars, arrays are
/// JSON arrays; Bytes elements are arrays of numbers; date/times are ISO 8601 UTC; durations are milliseconds;
/// NaN and infinities, which JSON cannot carry, are written as the strings "NaN", "Infinity", "-Infinity".
/// </summary>
public static class TagValueJson
{
    public static uint Quality(ReadOnlySpan<byte> data, TagSlot slot) =>
        BinaryPrimitives.ReadUInt32LittleEndian(data[slot.SlotOffset..]);

    public static long SourceTimestampNs(ReadOnlySpan<byte> data, TagSlot slot) =>
        BinaryPrimitives.ReadInt64LittleEndian(data[(slot.SlotOffset + 8)..]);

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

    private static void WriteElement(Utf8JsonWriter writer, ReadOnlySpan<byte> e, TagDescriptor tag)
    {
        switch (tag.DataType)
        {
            case IpcDataType.Bool:
                writer.WriteBooleanValue(e[0] != 0);
                break;
            case IpcDataType.Int8:
                writer.WriteNumberValue((sbyte)e[0]);
                break;
            case IpcDataType.UInt8:
                writer.WriteNumberValue(e[0]);
                break;
            case IpcDataType.Int16:
                writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(e));
                break;
            case IpcDataType.UInt16:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(e));
                break;
            case IpcDataType.Int32:
                writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(e));
                break;
            case IpcDataType.UInt32:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(e));
                break;
            case IpcDataType.Int64:
                writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(e));
                break;
            case IpcDataType.UInt64:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(e));
                break;
            case IpcDataType.Float32:
                WriteFloat(writer, BinaryPrimitives.ReadSingleLittleEndian(e));
                break;
            case IpcDataType.Float64:
                WriteFloat(writer, BinaryPrimitives.ReadDoubleLittleEndian(e));
                break;
            case IpcDataType.DateTime:
                WriteTime(writer, BinaryPrimitives.ReadInt64LittleEndian(e));
                break;
            case IpcDataType.Duration:
                writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(e) / 1e6);
                break;
            case IpcDataType.String:
                WriteUtf8(writer, Variable(e, tag));
                break;
            case IpcDataType.Bytes:
                writer.WriteStartArray();
                foreach (var b in Variable(e, tag))
                {
                    writer.WriteNumberValue(b);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static ReadOnlySpan<byte> Variable(ReadOnlySpan<byte> element, TagDescriptor tag)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(element);
        return element.Slice(4, (int)Math.Min(length, (uint)Math.Min(tag.MaxLength, element.Length - 4)));
    }

    private static void WriteUtf8(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            writer.WriteStringValue(utf8);
        }
        else
        {
            // A writer from another language may store invalid UTF-8; show it with replacement characters.
            writer.WriteStringValue(Encoding.UTF8.GetString(utf8));
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            WriteFloat(writer, (double)value);
        }
    }
}
