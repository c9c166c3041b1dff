namespace EdgePartition.Protocols;

/// <summary>
/// The base of each stack's one exception type (<c>S7ProtocolException</c>, <c>ModbusProtocolException</c>,
/// <c>OpcUaProtocolException</c>): a shared <see cref="Reason"/>, the protocol's raw code, and a message a technician
/// can act on.
/// </summary>
public abstract class ProtocolException : Exception
{
    protected ProtocolException(ProtocolErrorReason reason, string message, long code, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
        Code = code;
    }

    public ProtocolErrorReason Reason { get; }

    /// <summary>The protocol's raw code (item return code, exception code, status code), or 0 when the failure is local.</summary>
    public long Code { get; }

    /// <summary>True when the connection is unusable after this error: see <see cref="LinkFailure.IsLinkDown(ProtocolErrorReason)"/>.</summary>
    public bool IsLinkDown => LinkFailure.IsLinkDown(Reason);
}
