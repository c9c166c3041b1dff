using System.Buffers;
using System.Text.Json;
using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Writes;

namespace EdgePartition.Consumers.Feed;

/// <summary>
/// Writes sent on the feed: <c>{"type":"write","id":"…","device":"…","tag":"…","value":…[,"index":n]}</c>, answered
/// by <c>{"type":"writeResult","id":"…","device":…,"result":…}</c> (the same fields as the HTTP answer) through the
/// client's send loop. Writes run as the caller who opened the connection, at most <see cref="MaxInFlight"/> at once
/// per connection; a message that is not a well-formed write (no id) closes the connection like any bad message.
/// </summary>
internal static class FeedWrites
{
    public const int MaxInFlight = 16;
    public const int MaxIdLength = 64;

    /// <summary>Whether <paramref name="message"/> is a write message: then it is started (or refused) here.</summary>
    /// <returns>False when the message is not of type "write"; <paramref name="error"/> set when it is one but malformed.</returns>
    public static bool TryStart(ReadOnlySpan<byte> message, FeedClient client, OperatorWrites? writes, CancellationToken stopping, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 8 });
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                return false;
            }

            document = parsed;
        }
        catch (JsonException)
        {
            // Not JSON: the subscribe parser says so with its own reason.
            return false;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !type.ValueEquals("write"))
        {
            document.Dispose();
            return false;
        }

        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 and <= MaxIdLength } id ||
            !root.TryGetProperty("device", out var device) || device.ValueKind != JsonValueKind.String ||
            !root.TryGetProperty("tag", out var tag) || tag.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            error = $"a write needs \"id\" (text of 1..{MaxIdLength} characters), \"device\", \"tag\" and \"value\"";
            return true;
        }

        int? index = null;
        if (root.TryGetProperty("index", out var indexElement) && indexElement.ValueKind != JsonValueKind.Null)
        {
            index = indexElement.ValueKind == JsonValueKind.Number && indexElement.TryGetInt32(out var i) ? i : -1;
        }

        var request = new WriteRequestText(device.GetString()!, tag.GetString()!, root.TryGetProperty("value", out var value) ? value : default, index);
        _ = RunAsync(document, request, id, client, writes, stopping);
        return true;
    }

    private static async Task RunAsync(JsonDocument document, WriteRequestText request, string id, FeedClient client, OperatorWrites? writes, CancellationToken stopping)
    {
        using (document)
        {
            WriteReport report;
            if (writes is null)
            {
                return;
            }

            if (Interlocked.Increment(ref client.WritesInFlight) > MaxInFlight)
            {
                report = writes.Refuse(request.Device, request.Tag, WriteOutcome.RateLimited, $"more than {MaxInFlight} writes in flight on this connection", client.Caller, client.Address);
            }
            else if (request.Value.ValueKind == JsonValueKind.Undefined)
            {
                report = writes.Refuse(request.Device, request.Tag, WriteOutcome.BadValue, "the write has no \"value\"", client.Caller, client.Address);
            }
            else
            {
                try
                {
                    report = await writes.WriteAsync(request, client.Caller, client.Address, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Decrement(ref client.WritesInFlight);
                    return;
                }
            }

            Interlocked.Decrement(ref client.WritesInFlight);
            client.Reply(Result(id, report));
        }
    }

    private static byte[] Result(string id, WriteReport report)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonDefaults.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "writeResult"u8);
            writer.WriteString("id"u8, id);
            report.WriteFields(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
