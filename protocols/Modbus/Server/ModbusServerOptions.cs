using System.Net;

namespace EdgePartition.Modbus.Server;

/// <summary>Where and how a <see cref="ModbusTcpServer"/> listens.</summary>
public sealed record ModbusServerOptions
{
    /// <summary>The address to listen on; loopback by default, so nothing is exposed unless configured.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 lets the OS pick (read it back from <see cref="ModbusTcpServer.Port"/>).</summary>
    public int Port { get; init; } = 502;

    /// <summary>
    /// Connections served at once. When full, a new client takes the place of the longest-silent connection that may
    /// give way (<see cref="IdleBeforeReplaceable"/>), so sockets held without being used cannot lock out an HMI; when
    /// every connection is busy the new one is accepted and closed at once.
    /// </summary>
    public int MaxClients { get; init; } = 64;

    /// <summary>
    /// Connections one IP address may hold; its next connection replaces its own longest-silent one (or is refused
    /// when all of them are busy), so one host cannot take every place from the others.
    /// </summary>
    public int MaxClientsPerAddress { get; init; } = 32;

    /// <summary>
    /// How long a client that sent a request must be silent before a new client may take its place; one that never
    /// sent a request may be replaced at once.
    /// </summary>
    public TimeSpan IdleBeforeReplaceable { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A client that sends no whole request this long after connecting is disconnected.</summary>
    public TimeSpan FirstRequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A client silent this long (including one that stopped in the middle of a frame) is disconnected.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Unit ids answered; null answers every unit id (echoing it). Requests to other units get exception 0x0A
    /// (gateway path unavailable).
    /// </summary>
    public IReadOnlySet<byte>? UnitIds { get; init; }

    /// <summary>Decides about client writes; null applies every write to the store.</summary>
    public IModbusWriteHandler? WriteHandler { get; init; }
}
