namespace EdgePartition.Modbus;

/// <summary>
/// Exception codes a device answers with (Modbus Application Protocol V1.1b §7): the reply function code is the
/// request's with bit 7 set, followed by one of these.
/// </summary>
public enum ModbusExceptionCode : byte
{
    /// <summary>Not an exception: the request succeeded.</summary>
    None = 0x00,
    IllegalFunction = 0x01,
    IllegalDataAddress = 0x02,
    IllegalDataValue = 0x03,
    ServerDeviceFailure = 0x04,
    Acknowledge = 0x05,
    ServerDeviceBusy = 0x06,
    MemoryParityError = 0x08,
    GatewayPathUnavailable = 0x0A,
    GatewayTargetFailedToRespond = 0x0B,
}

/// <summary>Helpers that classify exception codes.</summary>
public static class ModbusExceptionCodeExtensions
{
    /// <summary>
    /// True when trying again later may succeed (busy, acknowledge, gateway trouble); false for configuration errors
    /// (wrong function, address or value) that repeating will not fix.
    /// </summary>
    public static bool IsRetryable(this ModbusExceptionCode code) => code is ModbusExceptionCode.Acknowledge
        or ModbusExceptionCode.ServerDeviceBusy or ModbusExceptionCode.GatewayPathUnavailable
        or ModbusExceptionCode.GatewayTargetFailedToRespond;

    /// <summary>A short human description, with what to check.</summary>
    public static string Describe(this ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.None => "no exception",
        ModbusExceptionCode.IllegalFunction => "illegal function (01): the device does not support this function code",
        ModbusExceptionCode.IllegalDataAddress => "illegal data address (02): the address range does not exist on the device; check the address, its 0/1-based notation and the count",
        ModbusExceptionCode.IllegalDataValue => "illegal data value (03): the device refused a value or the quantity; check the count and the per-device request limit",
        ModbusExceptionCode.ServerDeviceFailure => "server device failure (04): the device failed while executing the request",
        ModbusExceptionCode.Acknowledge => "acknowledge (05): the device accepted a long-running request; poll again later",
        ModbusExceptionCode.ServerDeviceBusy => "server device busy (06): retry later or lower the number of requests in flight",
        ModbusExceptionCode.MemoryParityError => "memory parity error (08)",
        ModbusExceptionCode.GatewayPathUnavailable => "gateway path unavailable (0A): the gateway has no route for this unit id; check the unit id",
        ModbusExceptionCode.GatewayTargetFailedToRespond => "gateway target device failed to respond (0B): the device behind the gateway is silent; check it and its unit id",
        _ => $"unknown exception code 0x{(byte)code:X2}",
    };
}
