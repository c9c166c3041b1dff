using System.Diagnostics.CodeAnalysis;

namespace EdgePartition.S7;

/// <summary>
/// The one exception of the S7 stack: a closed <see cref="Reason"/>, the raw code when the PLC sent one, and a
/// message a technician can act on.
/// </summary>
public sealed class S7ProtocolException : Exception
{
    public S7ProtocolException(S7ErrorReason reason, string message, int code = 0, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Code = code;
    }

    public S7ErrorReason Reason { get; }

    /// <summary>The raw code: an item return code, a header error word (class &lt;&lt; 8 | code), or 0.</summary>
    public int Code { get; }

    [DoesNotReturn]
    internal static void Throw(S7ErrorReason reason, string message, int code = 0) =>
        throw new S7ProtocolException(reason, message, code);

    [DoesNotReturn]
    internal static void ThrowMalformed(string what) =>
        throw new S7ProtocolException(S7ErrorReason.MalformedFrame, $"Malformed frame from the peer: {what}.");

    /// <summary>Maps an item return code to a reason and a message that says what to check.</summary>
    public static S7ProtocolException FromReturnCode(S7ReturnCode code, string where)
    {
        var (reason, advice) = code switch
        {
            S7ReturnCode.AddressOutOfRange => (S7ErrorReason.AddressOutOfRange,
                "address out of range: check the DB length (or the size of the area) against offset and length"),
            S7ReturnCode.ObjectDoesNotExist => (S7ErrorReason.ObjectDoesNotExist,
                "object does not exist: check the DB number; the block is not loaded in the PLC"),
            S7ReturnCode.AccessDenied => (S7ErrorReason.AccessDenied,
                "access denied: enable PUT/GET communication in the CPU protection settings, disable optimized block access for the DB, then download the hardware configuration"),
            S7ReturnCode.DataTypeNotSupported => (S7ErrorReason.DataTypeNotSupported,
                "data type not supported by the PLC for this area"),
            S7ReturnCode.DataTypeInconsistent => (S7ErrorReason.DataTypeInconsistent,
                "data type or length inconsistent: the written size does not match the item"),
            S7ReturnCode.HardwareFault => (S7ErrorReason.HardwareFault, "hardware fault reported by the PLC"),
            _ => (S7ErrorReason.ItemError, "the PLC refused the item"),
        };
        return new S7ProtocolException(reason, $"{where}: {advice} (item return code 0x{(byte)code:X2}).", (byte)code);
    }

    /// <summary>Maps a header error (class, code) of an Ack_Data to a reason and an actionable message.</summary>
    public static S7ProtocolException FromHeaderError(byte errorClass, byte errorCode)
    {
        int word = (errorClass << 8) | errorCode;
        var (reason, advice) = word switch
        {
            0x8104 => (S7ErrorReason.FunctionNotAvailable,
                "function not available: the CPU refused the service; on S7-1200/1500 enable PUT/GET and disable optimized block access"),
            0x8500 => (S7ErrorReason.RequestTooLarge,
                "wrong frames: the request or its reply does not fit the negotiated PDU size"),
            0xD209 => (S7ErrorReason.HeaderError, "item not available: check the address"),
            0xD241 => (S7ErrorReason.AccessDenied, "the CPU needs a password for this service"),
            0x8404 => (S7ErrorReason.HeaderError, "fatal protocol error reported by the CPU"),
            _ => (S7ErrorReason.HeaderError, "the CPU refused the job"),
        };
        return new S7ProtocolException(reason, $"{advice} (error class 0x{errorClass:X2}, code 0x{errorCode:X2}).", word);
    }
}
