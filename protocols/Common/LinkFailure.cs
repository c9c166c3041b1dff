using System.Net.Sockets;

namespace EdgePartition.Protocols;

/// <summary>
/// The one rule every driver uses to tell "the link is down, reconnect" from "the peer refused one request on a
/// live link". A broken, silent or garbled connection cannot be trusted for the next request; a refusal can.
/// </summary>
public static class LinkFailure
{
    public static bool IsLinkDown(ProtocolErrorReason reason) => reason is ProtocolErrorReason.ConnectionFailed
        or ProtocolErrorReason.ConnectionClosed or ProtocolErrorReason.Timeout or ProtocolErrorReason.NotConnected
        or ProtocolErrorReason.MalformedFrame or ProtocolErrorReason.UnexpectedReply or ProtocolErrorReason.LimitExceeded
        or ProtocolErrorReason.NegotiationFailed;

    /// <summary>Protocol errors by their reason; socket, stream and timeout errors always.</summary>
    public static bool IsLinkDown(Exception error) => error switch
    {
        ProtocolException protocol => protocol.IsLinkDown,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };
}
