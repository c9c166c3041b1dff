namespace EdgePartition.OpcUa;

/// <summary>
/// The one exception type the OPC UA client throws for protocol, link and service failures: a shared
/// <see cref="ProtocolException.Reason"/> and the OPC UA status code as the raw code.
/// </summary>
public sealed class OpcUaProtocolException(ProtocolErrorReason reason, string message, uint statusCode = 0, Exception? inner = null)
    : ProtocolException(reason, message, statusCode, inner)
{
    /// <summary>The OPC UA status code the server reported, or 0 when the failure is local.</summary>
    public uint StatusCode => (uint)Code;

    internal static OpcUaProtocolException Malformed(string message) => new(ProtocolErrorReason.MalformedFrame, message);
}
