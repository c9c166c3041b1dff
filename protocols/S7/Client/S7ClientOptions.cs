namespace EdgePartition.S7.Client;

/// <summary>How an <see cref="S7Client"/> reaches and negotiates with one PLC.</summary>
public sealed record S7ClientOptions
{
    public required string Host { get; init; }

    /// <summary>ISO-on-TCP port (RFC 1006): 102.</summary>
    public int Port { get; init; } = 102;

    /// <summary>Rack of the CPU (0 for S7-300/1200/1500).</summary>
    public int Rack { get; init; }

    /// <summary>Slot of the CPU (S7-300: 2; S7-1200/1500: 0 or 1).</summary>
    public int Slot { get; init; } = 1;

    public S7ConnectionType ConnectionType { get; init; } = S7ConnectionType.Basic;

    /// <summary>Explicit local TSAP; default 0x0100.</summary>
    public ushort? LocalTsap { get; init; }

    /// <summary>Explicit remote TSAP; default (type &lt;&lt; 8) | (rack &lt;&lt; 5) | slot.</summary>
    public ushort? RemoteTsap { get; init; }

    /// <summary>PDU size asked for in Setup Communication; the PLC's grant (240 on an S7-1200) is used.</summary>
    public int RequestedPduSize { get; init; } = 960;

    /// <summary>Parallel jobs (AmQ) asked for; the PLC's grant bounds how many jobs are in flight.</summary>
    public int RequestedParallelJobs { get; init; } = 8;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bound on every job; on expiry the connection is closed and reopened by the next job.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Reconnect on the next job after a fault (one attempt per job; pacing is the caller's).</summary>
    public bool AutoReconnect { get; init; } = true;

    /// <summary>The clock of every timeout inside the client (connect, jobs).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal ushort EffectiveLocalTsap => LocalTsap ?? 0x0100;

    internal ushort EffectiveRemoteTsap => RemoteTsap ?? (ushort)(((int)ConnectionType << 8) | ((Rack & 0x7) << 5) | (Slot & 0x1F));

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host);
        ArgumentOutOfRangeException.ThrowIfLessThan(RequestedPduSize, 240);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RequestedPduSize, 960);
        ArgumentOutOfRangeException.ThrowIfLessThan(RequestedParallelJobs, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RequestedParallelJobs, 32);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ConnectTimeout.Ticks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(JobTimeout.Ticks);
    }
}
