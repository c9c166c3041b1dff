namespace EdgePartition.S7.Server;

/// <summary>Limits and negotiation values of an <see cref="S7Server"/>.</summary>
public sealed class S7ServerOptions
{
    /// <summary>
    /// Connections served at once. When full, a new client takes the place of the longest-silent connection that may
    /// give way (<see cref="IdleBeforeReplaceable"/>), so sockets held without being used cannot lock out an HMI; when
    /// every connection is busy the new client is accepted and closed at once (ClientRejected).
    /// </summary>
    public int MaxClients { get; init; } = 32;

    /// <summary>
    /// Connections one IP address may hold; its next connection replaces its own longest-silent one (or is refused
    /// when all of them are busy), so one host cannot take every place from the others.
    /// </summary>
    public int MaxClientsPerAddress { get; init; } = 16;

    /// <summary>
    /// How long a client that finished its handshake must be silent before a new client may take its place; one that
    /// never finished it may be replaced at once.
    /// </summary>
    public TimeSpan IdleBeforeReplaceable { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>COTP connect and Setup Communication must be done within this, or the connection is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest PDU granted in Setup Communication (the client's request is granted up to this).</summary>
    public int MaxPduSize { get; init; } = 960;

    /// <summary>The most parallel jobs (AmQ) granted.</summary>
    public int MaxParallelJobs { get; init; } = 8;

    /// <summary>How long a client job waits for an area another party locked before the item fails with 0x01.</summary>
    public TimeSpan AreaLockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A client that sends nothing for this long is disconnected (infinite by default, as on a PLC).</summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Decides each client write item before it touches an area; null lets every valid write through.</summary>
    public IS7WriteHandler? WriteHandler { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxClients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxClientsPerAddress, 1);
        if (HandshakeTimeout <= TimeSpan.Zero && HandshakeTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "must be positive");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPduSize, 240);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPduSize, 960);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelJobs, 1);
    }
}

/// <summary>The CPU operating state the server reports.</summary>
public enum S7CpuStatus
{
    Unknown = 0x00,
    Stop = 0x04,
    Run = 0x08,
}
