namespace EdgePartition.Protocols;

/// <summary>The state of a client's long-lived logical connection (the socket under it is replaced on failure).</summary>
public enum ConnectionState
{
    /// <summary>No connection yet, or the last one ended cleanly; the next request connects.</summary>
    Disconnected,

    Connecting,

    Connected,

    /// <summary>The last connection broke (timeout, peer closed, malformed frame); the next request reconnects.</summary>
    Faulted,

    /// <summary>Connects failed; requests fail fast until the reconnect backoff has passed.</summary>
    BackingOff,

    /// <summary>The client was disposed; it does not connect again.</summary>
    Closed,
}

/// <summary>A client's connection moved from <see cref="Previous"/> to <see cref="Current"/>.</summary>
public sealed class ConnectionStateChangedEventArgs(ConnectionState previous, ConnectionState current) : EventArgs
{
    public ConnectionState Previous { get; } = previous;

    public ConnectionState Current { get; } = current;

    public override string ToString() => $"{Previous} -> {Current}";
}
