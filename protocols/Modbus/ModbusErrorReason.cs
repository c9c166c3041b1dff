namespace EdgePartition.Modbus;

/// <summary>Why a Modbus operation failed: the closed set of reasons carried by <see cref="ModbusException"/>.</summary>
public enum ModbusErrorReason
{
    /// <summary>The device answered with an exception response; see <see cref="ModbusException.ExceptionCode"/>.</summary>
    ExceptionResponse,

    /// <summary>No answer within the request timeout; the connection was closed so a late reply cannot be misread.</summary>
    Timeout,

    /// <summary>The TCP connection could not be opened within the connect timeout or was refused.</summary>
    ConnectFailed,

    /// <summary>The client is waiting out its reconnect backoff after failed connects; nothing was sent.</summary>
    ReconnectBackoff,

    /// <summary>The connection was closed (by the peer, by an error on another request, or by disposal).</summary>
    ConnectionClosed,

    /// <summary>The MBAP header was invalid (protocol id, length) or a frame was cut off.</summary>
    MalformedFrame,

    /// <summary>A reply matched the transaction id but not the unit id, function code, length or echoed fields.</summary>
    UnexpectedResponse,

    /// <summary>A request was not well formed (server side: unknown function, bad quantity).</summary>
    MalformedRequest,
}
