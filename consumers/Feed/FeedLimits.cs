namespace EdgePartition.Consumers.Feed;

/// <summary>
/// Bounds of one websocket client. Memory per client is bounded by the number of tags it subscribes to (one pending
/// slot per tag, coalesced to the latest value), and by <see cref="MaxFrameBytes"/> for the frame being sent.
/// </summary>
public sealed record FeedLimits
{
    /// <summary>Largest message a client may send (a subscribe message); larger closes the connection.</summary>
    public int MaxClientMessageBytes { get; init; } = 4096;

    /// <summary>Largest websocket frame the server assembles from pending changes before sending it.</summary>
    public int MaxFrameBytes { get; init; } = 64 * 1024;

    /// <summary>A client whose socket accepts nothing for this long is closed (it holds a send buffer).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most clients at once; more are refused with 503 so a storm of tabs cannot exhaust the process.</summary>
    public int MaxClients { get; init; } = 1000;
}
