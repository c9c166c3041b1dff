using System.Diagnostics.CodeAnalysis;

namespace EdgePartition.S7;

/// <summary>
/// The one exception of the S7 stack: a shared <see cref="ProtocolException.Reason"/>, the raw code when the PLC sent
/// one (an item return code, or a header error word class &lt;&lt; 8 | code), and a message a technician can act on.
/// </summary>
public sealed class S7ProtocolException(ProtocolErrorReason reason, string message, int code = 0, Exception? innerException = null)
    : ProtocolException(reason, message, code, innerException)
{
    /// <summary>The item return code the PLC refused an item with, or null when the code is a header error word or absent.</summary>
    public S7ReturnCode? ItemReturnCode => Code is > 0 and <= byte.MaxValue ? (S7ReturnCode)Code : null;

    [DoesNotReturn]
    internal static void Throw(ProtocolErrorReason reason, string message, int code = 0) =>
        throw new S7ProtocolException(reason, message, code);

    [DoesNotReturn]
    internal static void ThrowMalformed(string what) =>
        throw new S7ProtocolException(ProtocolErrorReason.MalformedFrame, $"Malformed frame from the peer: {what}.");

    /// <summary>Maps an item return code to a reason and a message that says what to check.</summary>
    public static S7ProtocolException FromReturnCode(S7ReturnCode code, string where)
    {
        var (reason, advice) = code switch
        {
            S7ReturnCode.AddressOutOfRange => (ProtocolErrorReason.PeerRejected,
                "address out of range: check the DB length (or the size of the area) against offset and length"),
            S7ReturnCode.ObjectDoesNotExist => (ProtocolErrorReason.PeerRejected,
                "object does not exist: check the DB number; the block is not loaded in the PLC"),
            S7ReturnCode.AccessDenied => (ProtocolErrorReason.AccessDenied,
                "access denied: enable PUT/GET communication in the CPU protection settings, disable optimized block access for the DB, then download the hardware configuration"),
            S7ReturnCode.DataTypeNotSupported => (ProtocolErrorReason.PeerRejected,
                "data type not supported by the PLC for this area"),
            S7ReturnCode.DataTypeInconsistent => (ProtocolErrorReason.PeerRejected,
                "data type or length inconsistent: the written size does not match the item"),
            S7ReturnCode.HardwareFault => (ProtocolErrorReason.PeerRejected, "hardware fault reported by the PLC"),
            _ => (ProtocolErrorReason.PeerRejected, "the PLC refused the item"),
        };
        return new S7ProtocolException(reason, $"{where}: {advice} (item return code 0x{(byte)code:X2}).", (byte)code);
    }

    /// <summary>Maps a header error (class, code) of an Ack_Data to a reason and an actionable message.</summary>
    public static S7ProtocolException FromHeaderError(byte errorClass, byte errorCode)
    {
        int word = (errorClass << 8) | errorCode;
        var (reason, advice) = word switch
        {
            0x8104 => (ProtocolErrorReason.PeerRejected,
                "function not available: the CPU refused the service; on S7-1200/1500 enable PUT/GET and disable optimized block access"),
            0x8500 => (ProtocolErrorReason.RequestTooLarge,
                "wrong frames: the request or its reply does not fit the negotiated PDU size"),
            0xD209 => (ProtocolErrorReason.PeerRejected, "item not available: check the address"),
            0xD241 => (ProtocolErrorReason.AccessDenied, "the CPU needs a password for this service"),
            0x8404 => (ProtocolErrorReason.PeerRejected, "fatal protocol error reported by the CPU"),
            _ => (ProtocolErrorReason.PeerRejected, "the CPU refused the job"),
        };
        return new S7ProtocolException(reason, $"{advice} (error class 0x{errorClass:X2}, code 0x{errorCode:X2}).", word);
    }
}
