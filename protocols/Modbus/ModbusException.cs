using System.Diagnostics.CodeAnalysis;

namespace EdgePartition.Modbus;

/// <summary>
/// The one exception type of the Modbus stack: a closed <see cref="ModbusErrorReason"/>, the device's exception code
/// when it answered with one, and the function code of the request that failed.
/// </summary>
public sealed class ModbusException : Exception
{
    public ModbusException(ModbusErrorReason reason, string message, ModbusExceptionCode exceptionCode = ModbusExceptionCode.None,
        ModbusFunction? function = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        ExceptionCode = exceptionCode;
        Function = function;
    }

    public ModbusErrorReason Reason { get; }

    /// <summary>The device's exception code for <see cref="ModbusErrorReason.ExceptionResponse"/>; otherwise None.</summary>
    public ModbusExceptionCode ExceptionCode { get; }

    /// <summary>The function of the request that failed, when there was one.</summary>
    public ModbusFunction? Function { get; }

    /// <summary>True when the same request may succeed later without a configuration change.</summary>
    public bool IsRetryable => Reason switch
    {
        ModbusErrorReason.ExceptionResponse => ExceptionCode.IsRetryable(),
        ModbusErrorReason.MalformedRequest => false,
        _ => true,
    };

    /// <summary>True when the error ended an open connection (the next request reconnects).</summary>
    public bool ClosedConnection => Reason is ModbusErrorReason.Timeout or ModbusErrorReason.ConnectionClosed
        or ModbusErrorReason.MalformedFrame or ModbusErrorReason.UnexpectedResponse;
}

/// <summary>Throw helpers kept off the hot paths so the callers stay small.</summary>
internal static class ModbusThrow
{
    [DoesNotReturn]
    public static void ExceptionResponse(ModbusFunction function, ModbusExceptionCode code) =>
        throw new ModbusException(ModbusErrorReason.ExceptionResponse, $"{function}: {code.Describe()}", code, function);

    [DoesNotReturn]
    public static void UnexpectedResponse(ModbusFunction function, string detail) =>
        throw new ModbusException(ModbusErrorReason.UnexpectedResponse, $"{function}: unexpected response, {detail}", function: function);

    [DoesNotReturn]
    public static void MalformedFrame(string detail) =>
        throw new ModbusException(ModbusErrorReason.MalformedFrame, $"malformed MBAP frame: {detail}");
}
