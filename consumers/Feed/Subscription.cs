using EdgePartition.Config;

namespace EdgePartition.Consumers.Feed;

/// <summary>What a websocket client wants: device (or "sync") and tag name patterns.</summary>
public sealed record Subscription(NamePattern Devices, NamePattern Tags)
{
    public static Subscription All { get; } = new(NamePattern.All, NamePattern.All);

    public static bool TryParse(string? devices, string? tags, out Subscription subscription, out string? error)
    {
        subscription = All;
        if (!NamePattern.TryParse(devices, out var devicePattern, out error))
        {
            error = "devices: " + error;
            return false;
        }

        if (!NamePattern.TryParse(tags, out var tagPattern, out error))
        {
            error = "tags: " + error;
            return false;
        }

        subscription = new Subscription(devicePattern, tagPattern);
        return true;
    }
}
