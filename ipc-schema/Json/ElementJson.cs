using System.Text;
using System.Text.Json;

namespace EdgePartition.Ipc;

/// <summary>
/// The one JSON rendering of a tag element, used by every JSON document of a value (the HTTP API, the websocket
/// feed, `edgepart shm dump --json` and its C and Python twins): Bool true/false, integers and floats as numbers,
/// non-finite floats as the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers), String as text
/// (invalid UTF-8 from a foreign writer shown with replacement characters), Bytes as an array of numbers 0..255
/// (what the dashboard's image view reads). DateTime and Duration are written by the caller's document rules
/// (a <see cref="TimeWriter"/>), the only per-document choice.
/// </summary>
public static class ElementJson
{
    /// <summary>Writes one element of <paramref name="type"/> given as its segment bytes (SCHEMA.md encoding).</summary>
    /// <param name="maxLength">The tag's MaxLength (String and Bytes).</param>
    /// <param name="writeTime">Writes a DateTime (Unix ns) or Duration (ns) element.</param>
    public static void Write(Utf8JsonWriter writer, IpcDataType type, ReadOnlySpan<byte> element, int maxLength, TimeWriter writeTime)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (type)
        {
            case IpcDataType.Bool: writer.WriteBooleanValue(element[0] != 0); break;
            case IpcDataType.Int64: writer.WriteNumberValue(SlotElement.ReadInteger(type, element)); break;
            case IpcDataType.UInt64: writer.WriteNumberValue((ulong)SlotElement.ReadInteger(type, element)); break;
            case IpcDataType.Float32 or IpcDataType.Float64: WriteFloat(writer, SlotElement.ReadNumber(type, element), type); break;
            case IpcDataType.Int8 or IpcDataType.UInt8 or IpcDataType.Int16 or IpcDataType.UInt16 or IpcDataType.Int32 or IpcDataType.UInt32:
                writer.WriteNumberValue(SlotElement.ReadInteger(type, element));
                break;
            case IpcDataType.DateTime or IpcDataType.Duration: writeTime(writer, type, SlotElement.ReadInteger(type, element)); break;
            case IpcDataType.String: WriteUtf8(writer, SlotElement.ReadVariable(element, maxLength)); break;
            case IpcDataType.Bytes: WriteBytes(writer, SlotElement.ReadVariable(element, maxLength)); break;
            default: writer.WriteNullValue(); break;
        }
    }

    /// <summary>Bytes as an array of numbers.</summary>
    public static void WriteBytes(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var b in bytes)
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
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

    private static void WriteFloat(Utf8JsonWriter writer, double value, IpcDataType type)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
        else if (type == IpcDataType.Float32)
        {
            // The shortest text that reads back as the same float, not the double's longer digits.
            writer.WriteNumberValue((float)value);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}

/// <summary>Writes a DateTime (ns since 1970) or Duration (ns) element as a document renders times.</summary>
public delegate void TimeWriter(Utf8JsonWriter writer, IpcDataType type, long nanoseconds);
