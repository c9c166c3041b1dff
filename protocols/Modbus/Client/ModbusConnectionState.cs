namespace EdgePartition.Modbus.Client;

/// <summary>State of a client's logical connection.</summary>
public enum ModbusConnectionState
{
    /// <summary>No connection yet, or the last one ended; the next request connects.</summary>
    Disconnected,

    Connecting,

    Connected,

    /// <summary>Connects failed; requests fail fast until the backoff delay has passed.</summary>
    BackingOff,

    Disposed,
}
