namespace EdgePartition.OpcUa;

/// <summary>Why an OPC UA operation failed, so callers can tell a dead link from a refused request.</summary>
public enum OpcUaErrorReason
{
    /// <summary>The peer sent bytes that do not follow OPC UA Part 6 (the connection is faulted).</summary>
    Malformed,

    /// <summary>The socket closed, could not be opened, or the server sent ERR.</summary>
    ConnectionLost,

    /// <summary>No response arrived within the request timeout.</summary>
    Timeout,

    /// <summary>The server answered with a bad service result (ServiceFault or a bad response header).</summary>
    ServiceFault,

    /// <summary>A message or chunk exceeded a negotiated limit.</summary>
    LimitExceeded,

    /// <summary>The configuration asks for something this client does not implement yet.</summary>
    NotSupported,
}

/// <summary>The one exception type the OPC UA client throws for protocol, link and service failures.</summary>
public sealed class OpcUaProtocolException : Exception
{
    public OpcUaProtocolException(OpcUaErrorReason reason, string message, uint statusCode = 0, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        StatusCode = statusCode;
    }

    public OpcUaErrorReason Reason { get; }

    /// <summary>The OPC UA status code the server reported, or 0 when the failure is local.</summary>
    public uint StatusCode { get; }

    internal static OpcUaProtocolException Malformed(string message) => new(OpcUaErrorReason.Malformed, message);
}
