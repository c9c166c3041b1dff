namespace EdgePartition.Ipc;

/// <summary>
/// Tag quality as an OPC UA StatusCode (Part 4 §7.39): the top two bits give the severity
/// (00 Good, 01 Uncertain, 10 Bad), the rest the reason.
/// </summary>
public static class IpcQuality
{
    public const uint Good = 0x00000000;
    public const uint Uncertain = 0x40000000;
    public const uint UncertainLastUsableValue = 0x40900000;
    public const uint Bad = 0x80000000;
    public const uint BadUnexpectedError = 0x80010000;
    public const uint BadInternalError = 0x80020000;
    public const uint BadCommunicationError = 0x80050000;
    public const uint BadTimeout = 0x800A0000;
    public const uint BadWaitingForInitialData = 0x80320000;
    public const uint BadNotWritable = 0x803B0000;
    public const uint BadTypeMismatch = 0x80740000;
    public const uint BadOutOfRange = 0x803C0000;
    public const uint BadNotConnected = 0x808A0000;
    public const uint BadDeviceFailure = 0x808B0000;
    public const uint BadOutOfService = 0x808D0000;
    public const uint BadResourceUnavailable = 0x80040000;
    public const uint BadTooManyOperations = 0x80100000;

    public static bool IsGood(uint quality) => (quality & 0xC0000000) == 0;

    public static bool IsUncertain(uint quality) => (quality & 0xC0000000) == 0x40000000;

    public static bool IsBad(uint quality) => (quality & 0x80000000) != 0;

    /// <summary>A short name for display ("Good", "BadNotConnected", or the hex code).</summary>
    public static string Describe(uint quality) => quality switch
    {
        Good => "Good",
        Uncertain => "Uncertain",
        UncertainLastUsableValue => "UncertainLastUsableValue",
        Bad => "Bad",
        BadUnexpectedError => "BadUnexpectedError",
        BadInternalError => "BadInternalError",
        BadCommunicationError => "BadCommunicationError",
        BadTimeout => "BadTimeout",
        BadWaitingForInitialData => "BadWaitingForInitialData",
        BadNotWritable => "BadNotWritable",
        BadTypeMismatch => "BadTypeMismatch",
        BadOutOfRange => "BadOutOfRange",
        BadNotConnected => "BadNotConnected",
        BadDeviceFailure => "BadDeviceFailure",
        BadOutOfService => "BadOutOfService",
        BadResourceUnavailable => "BadResourceUnavailable",
        BadTooManyOperations => "BadTooManyOperations",
        _ => $"0x{quality:X8}",
    };
}
