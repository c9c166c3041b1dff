using System.Text.Json;
using EdgePartition.Consumers.Json;

namespace EdgePartition.Consumers.Writes;

/// <summary>
/// The answer to one write attempt, as the API, the feed and the audit file show it: the outcome, why (for refusals),
/// the write request id and the collector's times when it was queued, the previous and the requested value.
/// </summary>
public sealed record WriteReport
{
    public required string Device { get; init; }

    public required string Tag { get; init; }

    public required WriteOutcome Outcome { get; init; }

    /// <summary>Why it was not done (the device's own error text for <see cref="WriteOutcome.Refused"/>).</summary>
    public string? Error { get; init; }

    /// <summary>The write queue's request id; 0 when nothing was queued.</summary>
    public ulong RequestId { get; init; }

    public long EnqueuedUnixNs { get; init; }

    public long StartedUnixNs { get; init; }

    public long DoneUnixNs { get; init; }

    /// <summary>The tag's value before the write (JSON), when the device had one.</summary>
    public string? PreviousJson { get; init; }

    /// <summary>The value asked for (JSON as sent).</summary>
    public string? ValueJson { get; init; }

    public int? Index { get; init; }

    public double LatencyMs { get; init; }

    public string Caller { get; init; } = "";

    public string Client { get; init; } = "";

    public long TimeUnixNs { get; init; }

    /// <summary>Writes the fields every reader of a result gets (the object's properties, not its braces).</summary>
    public void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("device"u8, Device);
        writer.WriteString("tag"u8, Tag);
        if (Index is { } index)
        {
            writer.WriteNumber("index"u8, index);
        }

        writer.WriteString("result"u8, WriteOutcomes.Name(Outcome));
        if (Error is not null)
        {
            writer.WriteString("error"u8, Error);
        }

        if (RequestId != 0)
        {
            // As text: ids are 64-bit and JSON numbers lose precision past 2^53 in browsers.
            writer.WriteString("requestId"u8, RequestId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteTime(writer, "enqueued"u8, EnqueuedUnixNs);
            WriteTime(writer, "started"u8, StartedUnixNs);
            WriteTime(writer, "done"u8, DoneUnixNs);
        }

        writer.WriteNumber("latencyMs"u8, Math.Round(LatencyMs, 3));
    }

    /// <summary>The audit line: the result fields plus who, from where, when, and the previous and new value.</summary>
    public void WriteAudit(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("time"u8);
        TagValueJson.WriteTime(writer, TimeUnixNs);
        writer.WriteString("token"u8, Caller);
        writer.WriteString("client"u8, Client);
        WriteFields(writer);
        WriteRaw(writer, "previous"u8, PreviousJson);
        WriteRaw(writer, "value"u8, ValueJson);
        writer.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(json, skipInputValidation: false);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long unixNs)
    {
        writer.WritePropertyName(name);
        TagValueJson.WriteTime(writer, unixNs);
    }
}
