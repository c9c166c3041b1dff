using EdgePartition.S7.Client;

namespace EdgePartition.Config;

/// <summary>An S7 PLC over ISO-on-TCP: address it by rack and slot, or by an explicit TSAP pair.</summary>
public sealed class S7ConnectionConfig : ConnectionConfig
{
    public required string Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    public int Rack { get; init; }

    public int Slot { get; init; } = 1;

    public S7ConnectionType ConnectionType { get; init; } = S7ConnectionType.Pg;

    /// <summary>Explicit local TSAP; null means derive from rack and slot (0x0100).</summary>
    public ushort? LocalTsap { get; init; }

    /// <summary>Explicit remote TSAP; null means derive from connection type, rack and slot.</summary>
    public ushort? RemoteTsap { get; init; }

    /// <summary>PDU size to ask for (240..960); the PLC may grant less.</summary>
    public int PduSize { get; init; } = 960;

    public const int DefaultPort = 102;

    /// <summary>The local TSAP to send: the explicit one, else 0x0100.</summary>
    public ushort EffectiveLocalTsap => LocalTsap ?? 0x0100;

    /// <summary>The remote TSAP to send: the explicit one, else (type &lt;&lt; 8) | (rack &lt;&lt; 5) | slot.</summary>
    public ushort EffectiveRemoteTsap => RemoteTsap ?? (ushort)(((int)ConnectionType << 8) | (Rack << 5) | Slot);
}
