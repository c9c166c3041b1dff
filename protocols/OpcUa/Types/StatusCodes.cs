namespace EdgePartition.OpcUa.Types;

/// <summary>The OPC UA status codes this client names (Part 6 Annex A, StatusCode.csv); the top two bits give severity.</summary>
public static class StatusCodes
{
    public const uint Good = 0;
    public const uint BadUnexpectedError = 0x80010000;
    public const uint BadCommunicationError = 0x80050000;
    public const uint BadTimeout = 0x800A0000;
    public const uint BadServiceUnsupported = 0x800B0000;
    public const uint BadTooManyOperations = 0x80100000;
    public const uint BadSecurityChecksFailed = 0x80130000;
    public const uint BadSessionIdInvalid = 0x80250000;
    public const uint BadSessionClosed = 0x80260000;
    public const uint BadNodeIdInvalid = 0x80330000;
    public const uint BadNodeIdUnknown = 0x80340000;
    public const uint BadAttributeIdInvalid = 0x80350000;
    public const uint BadNotReadable = 0x803A0000;
    public const uint BadNotWritable = 0x803B0000;
    public const uint BadOutOfRange = 0x803C0000;
    public const uint BadTypeMismatch = 0x80740000;
    public const uint BadNoCommunication = 0x80310000;
    public const uint BadWaitingForInitialData = 0x80320000;
    public const uint BadDeviceFailure = 0x808B0000;
    public const uint BadSensorFailure = 0x808C0000;
    public const uint BadOutOfService = 0x808D0000;
    public const uint BadConfigurationError = 0x80890000;
    public const uint BadNotConnected = 0x808A0000;
    public const uint UncertainLastUsableValue = 0x40900000;

    public static bool IsGood(uint code) => (code & 0xC0000000) == 0;

    public static bool IsBad(uint code) => (code & 0x80000000) != 0;

    public static bool IsUncertain(uint code) => (code & 0xC0000000) == 0x40000000;

    /// <summary>A short name for logs: the symbolic name when known, else the hex value.</summary>
    public static string Describe(uint code) => (code & 0xFFFF0000) switch
    {
        Good => "Good",
        BadTimeout => "BadTimeout",
        BadServiceUnsupported => "BadServiceUnsupported",
        BadTooManyOperations => "BadTooManyOperations",
        BadSecurityChecksFailed => "BadSecurityChecksFailed",
        BadSessionIdInvalid => "BadSessionIdInvalid",
        BadSessionClosed => "BadSessionClosed",
        BadNodeIdInvalid => "BadNodeIdInvalid",
        BadNodeIdUnknown => "BadNodeIdUnknown",
        BadAttributeIdInvalid => "BadAttributeIdInvalid",
        BadNotReadable => "BadNotReadable",
        BadNotWritable => "BadNotWritable",
        BadOutOfRange => "BadOutOfRange",
        BadTypeMismatch => "BadTypeMismatch",
        _ => $"0x{code:X8}",
    };
}
