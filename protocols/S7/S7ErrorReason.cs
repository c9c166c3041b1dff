namespace EdgePartition.S7;

/// <summary>The closed set of reasons an S7 operation fails; <see cref="S7ProtocolException.Reason"/> carries one.</summary>
public enum S7ErrorReason
{
    /// <summary>A frame from the peer broke the TPKT, COTP or S7 rules (garbage, bad lengths, wrong protocol id).</summary>
    MalformedFrame,

    /// <summary>A frame declared a length above the negotiated limit.</summary>
    FrameTooLarge,

    /// <summary>A well-formed reply that does not answer the job sent (wrong function, item count or length).</summary>
    UnexpectedReply,

    /// <summary>The TCP connection or the COTP connection request was refused.</summary>
    ConnectionRejected,

    /// <summary>The peer closed the connection, or it broke while a job was in flight.</summary>
    ConnectionClosed,

    /// <summary>Connect or a job did not complete in time; the connection was closed.</summary>
    Timeout,

    /// <summary>The client is not connected.</summary>
    NotConnected,

    /// <summary>Setup Communication failed or granted unusable values.</summary>
    NegotiationFailed,

    /// <summary>A single item does not fit the negotiated PDU even alone.</summary>
    RequestTooLarge,

    /// <summary>The PLC answered the job with a header error class/code (see <see cref="S7ProtocolException.Code"/>).</summary>
    HeaderError,

    /// <summary>The PLC does not offer the service (header 0x8104).</summary>
    FunctionNotAvailable,

    /// <summary>Item return code 0x03: access to the object is not allowed.</summary>
    AccessDenied,

    /// <summary>Item return code 0x05: the address is outside the area.</summary>
    AddressOutOfRange,

    /// <summary>Item return code 0x0A: the object (for example the DB) does not exist.</summary>
    ObjectDoesNotExist,

    /// <summary>Item return code 0x06: the data type is not supported.</summary>
    DataTypeNotSupported,

    /// <summary>Item return code 0x07: the data type or size is inconsistent.</summary>
    DataTypeInconsistent,

    /// <summary>Item return code 0x01: hardware fault.</summary>
    HardwareFault,

    /// <summary>Any other item return code.</summary>
    ItemError,

    /// <summary>An address in Siemens notation could not be parsed.</summary>
    InvalidAddress,
}
