using System.Diagnostics.CodeAnalysis;

namespace EdgePartition.Modbus;

/// <summary>
/// The one exception type of the Modbus stack: a shared <see cref="ProtocolException.Reason"/>, the device's
/// exception code when it answered with one (also the raw <see cref="ProtocolException.Code"/>), and the function
/// code of the request that failed.
/// </summary>
public sealed class ModbusProtocolException(ProtocolErrorReason reason, string message, ModbusExceptionCode exceptionCode = ModbusExceptionCode.None,
    ModbusFunction? function = null, Exception? innerException = null)
    : ProtocolException(reason, message, (long)exceptionCode, innerException)
{
    /// <summary>The device's exception code for <see cref="ProtocolErrorReason.PeerRejected"/>; otherwise None.</summary>
    public ModbusExceptionCode ExceptionCode => (ModbusExceptionCode)Code;

    /// <summary>The function of the request that failed, when there was one.</summary>
    public ModbusFunction? Function { get; } = function;

    /// <summary>True when the same request may succeed later without a configuration change.</summary>
    public bool IsRetryable => Reason switch
    {
        ProtocolErrorReason.PeerRejected => ExceptionCode.IsRetryable(),
        ProtocolErrorReason.InvalidRequest => false,
        _ => true,
    };

    /// <summary>True when the error ended an open connection (the next request reconnects).</summary>
    public bool ClosedConnection => Reason is ProtocolErrorReason.Timeout or ProtocolErrorReason.ConnectionClosed
        or ProtocolErrorReason.MalformedFrame or ProtocolErrorReason.UnexpectedReply;
}

/// <summary>Throw helpers kept off the hot paths so the callers stay small.</summary>
internal static class ModbusThrow
{
    [DoesNotReturn]
    public static void ExceptionResponse(ModbusFunction function, ModbusExceptionCode code) =>
        throw new ModbusProtocolException(ProtocolErrorReason.PeerRejected, $"{function}: {code.Describe()}", code, function);

    [DoesNotReturn]
    public static void UnexpectedResponse(ModbusFunction function, string detail) =>
        throw new ModbusProtocolException(ProtocolErrorReason.UnexpectedReply, $"{function}: unexpected response, {detail}", function: function);

    [DoesNotReturn]
    public static void MalformedFrame(string detail) =>
        throw new ModbusProtocolException(ProtocolErrorReason.MalformedFrame, $"malformed MBAP frame: {detail}");
}
