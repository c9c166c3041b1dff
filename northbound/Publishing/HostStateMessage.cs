using System.Text;
using System.Text.Json;

namespace EdgePartition.Northbound.Publishing;

/// <summary>
/// A primary host's STATE (§4.2.3): Sparkplug 3.0 JSON {"online": bool, "timestamp": ms} on spBv1.0/STATE/ID, or
/// the 2.2 text ONLINE/OFFLINE on STATE/ID (no timestamp: always taken as the newest).
/// </summary>
internal readonly record struct HostStateMessage(bool Online, long? TimestampMs)
{
    public static bool TryParse(bool legacy, ReadOnlySpan<byte> payload, out HostStateMessage state)
    {
        state = default;
        if (legacy)
        {
            var text = Encoding.UTF8.GetString(payload).Trim();
            if (text.Equals("ONLINE", StringComparison.OrdinalIgnoreCase) || text.Equals("OFFLINE", StringComparison.OrdinalIgnoreCase))
            {
                state = new HostStateMessage(text.Equals("ONLINE", StringComparison.OrdinalIgnoreCase), null);
                return true;
            }

            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("online", out var online) || online.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return false;
            }

            long? timestamp = root.TryGetProperty("timestamp", out var ts) && ts.TryGetInt64(out var value) ? value : null;
            state = new HostStateMessage(online.GetBoolean(), timestamp);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
