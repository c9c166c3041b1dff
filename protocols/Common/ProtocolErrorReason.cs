namespace EdgePartition.Protocols;

/// <summary>
/// The closed set of reasons a protocol operation fails, shared by S7, Modbus and OPC UA. What only one protocol
/// knows (an S7 item return code, a Modbus exception code, an OPC UA status code) travels in
/// <see cref="ProtocolException.Code"/>.
/// </summary>
public enum ProtocolErrorReason
{
    /// <summary>The TCP connection or the protocol's connection request was refused or could not be opened.</summary>
    ConnectionFailed,

    /// <summary>The peer closed the connection, or it broke while a request was in flight.</summary>
    ConnectionClosed,

    /// <summary>Connect or a request did not complete in time; the connection was closed.</summary>
    Timeout,

    /// <summary>The client is not connected (never connected, closed, or waiting out its reconnect backoff).</summary>
    NotConnected,

    /// <summary>Bytes from the peer break the framing or encoding rules (garbage, bad lengths, cut-off frame).</summary>
    MalformedFrame,

    /// <summary>A well-formed reply that does not answer the request sent (wrong function, id, count or length).</summary>
    UnexpectedReply,

    /// <summary>A frame or message from the peer is larger than the negotiated limit.</summary>
    LimitExceeded,

    /// <summary>Connection setup (S7 Setup Communication, UA Hello/Acknowledge, session) failed or granted unusable values.</summary>
    NegotiationFailed,

    /// <summary>A request does not fit the negotiated limits even alone (or the peer said so).</summary>
    RequestTooLarge,

    /// <summary>The peer refused this request or item on a live connection (S7 item/header error, Modbus exception, UA ServiceFault).</summary>
    PeerRejected,

    /// <summary>The peer refused access (S7 PUT/GET disabled or password, UA user access denied).</summary>
    AccessDenied,

    /// <summary>The caller's request is not valid (an address that does not parse, a value that does not encode, a malformed request to a server).</summary>
    InvalidRequest,

    /// <summary>The configuration asks for something this implementation does not support.</summary>
    NotSupported,
}
