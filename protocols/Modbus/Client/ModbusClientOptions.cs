namespace EdgePartition.Modbus.Client;

/// <summary>Connection parameters and limits of one Modbus TCP device (or one unit behind a gateway).</summary>
public sealed record ModbusClientOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 502;

    /// <summary>
    /// Unit id sent in every request and expected in every reply. Plain TCP devices usually accept 1 (the default),
    /// 0 or 255; behind a gateway it is the serial address of the device.
    /// </summary>
    public byte UnitId { get; init; } = 1;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The clock of every timeout and delay inside the client (connect, requests, reconnect backoff).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Time from sending a request to its reply; when it passes the connection is closed and reopened.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Requests sent before the first reply arrives (1..16). Many devices handle only one; raise it for devices
    /// known to queue transactions.
    /// </summary>
    public int MaxInFlight { get; init; } = 1;

    /// <summary>Largest read of coils or discrete inputs in one request (protocol limit 2000).</summary>
    public int MaxReadBits { get; init; } = ModbusLimits.MaxReadBits;

    /// <summary>Largest read of registers in one request (protocol limit 125).</summary>
    public int MaxReadRegisters { get; init; } = ModbusLimits.MaxReadRegisters;

    /// <summary>Largest coil write in one request (protocol limit 1968).</summary>
    public int MaxWriteBits { get; init; } = ModbusLimits.MaxWriteBits;

    /// <summary>Largest register write in one request (protocol limit 123).</summary>
    public int MaxWriteRegisters { get; init; } = ModbusLimits.MaxWriteRegisters;

    /// <summary>First wait after a failed connect; doubles per failure up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host);
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        CheckRange(MaxInFlight, ModbusLimits.MaxTransactionsInFlight, nameof(MaxInFlight));
        CheckRange(MaxReadBits, ModbusLimits.MaxReadBits, nameof(MaxReadBits));
        CheckRange(MaxReadRegisters, ModbusLimits.MaxReadRegisters, nameof(MaxReadRegisters));
        CheckRange(MaxWriteBits, ModbusLimits.MaxWriteBits, nameof(MaxWriteBits));
        CheckRange(MaxWriteRegisters, ModbusLimits.MaxWriteRegisters, nameof(MaxWriteRegisters));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMinDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxDelay, ReconnectMinDelay);
    }

    private static void CheckRange(int value, int max, string name)
    {
        if (value < 1 || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be 1..{max}");
        }
    }
}
