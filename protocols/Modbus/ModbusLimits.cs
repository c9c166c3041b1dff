namespace EdgePartition.Modbus;

/// <summary>
/// Protocol size limits (Modbus Application Protocol V1.1b §4.1 and §6; the same numbers as libmodbus's modbus.h).
/// </summary>
public static class ModbusLimits
{
    /// <summary>Largest PDU: function code plus data.</summary>
    public const int MaxPduLength = 253;

    /// <summary>MBAP header: transaction id, protocol id, length, unit id.</summary>
    public const int MbapHeaderLength = 7;

    /// <summary>Largest TCP ADU: header plus PDU.</summary>
    public const int MaxAduLength = MbapHeaderLength + MaxPduLength;

    public const int MaxReadBits = 2000;
    public const int MaxWriteBits = 1968;
    public const int MaxReadRegisters = 125;
    public const int MaxWriteRegisters = 123;

    /// <summary>FC 23 reads at most 125 and writes at most 121 registers in one request.</summary>
    public const int MaxReadWriteReadRegisters = 125;
    public const int MaxReadWriteWriteRegisters = 121;

    /// <summary>Each table has 65,536 elements, addressed 0..65535 on the wire.</summary>
    public const int TableSize = 65536;

    /// <summary>The implementation guide allows 1..16 outstanding transactions per connection.</summary>
    public const int MaxTransactionsInFlight = 16;
}
