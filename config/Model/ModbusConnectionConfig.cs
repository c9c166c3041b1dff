namespace EdgePartition.Config;

/// <summary>A Modbus TCP device (or one unit behind a gateway).</summary>
public sealed class ModbusConnectionConfig : ConnectionConfig
{
    public required string Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    /// <summary>Unit identifier (slave id) 0..255.</summary>
    public int UnitId { get; init; } = 1;

    /// <summary>
    /// 0 or 1: what table:offset addresses in the file count from. Tags always carry 0-based wire offsets in
    /// <see cref="TagConfig.ModbusAddress"/>; this is kept to write the file back as it was.
    /// </summary>
    public int AddressBase { get; init; }

    /// <summary>Most registers in one read request (1..125).</summary>
    public int MaxRegistersPerRequest { get; init; } = 125;

    /// <summary>Most coils or discrete inputs in one read request (1..2000).</summary>
    public int MaxBitsPerRequest { get; init; } = 2000;

    /// <summary>Requests sent before waiting for answers (1..16).</summary>
    public int RequestsInFlight { get; init; } = 1;

    public const int DefaultPort = 502;
}
