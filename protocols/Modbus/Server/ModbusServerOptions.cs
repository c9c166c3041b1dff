using System.Net;

namespace EdgePartition.Modbus.Server;

/// <summary>Where and how a <see cref="ModbusTcpServer"/> listens.</summary>
public sealed record ModbusServerOptions
{
    /// <summary>The address to listen on; loopback by default, so nothing is exposed unless configured.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 lets the OS pick (read it back from <see cref="ModbusTcpServer.Port"/>).</summary>
    public int Port { get; init; } = 502;

    /// <summary>Connections served at once; further ones are accepted and closed immediately.</summary>
    public int MaxClients { get; init; } = 64;

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
