namespace EdgePartition.S7.Client;

/// <summary>The connection resource type, the high byte of the remote TSAP (snap7 CONNTYPE_*).</summary>
public enum S7ConnectionType : byte
{
    /// <summary>Programming device connection; S7-1200s keep only a few of these.</summary>
    Pg = 0x01,

    /// <summary>Operator panel (HMI) connection.</summary>
    Op = 0x02,

    /// <summary>S7 basic connection (the default here, as for S7netplus).</summary>
    Basic = 0x03,
}

/// <summary>A snapshot of a client's traffic counters.</summary>
public readonly record struct S7ClientCounters(
    long BytesSent,
    long BytesReceived,
    long RoundTrips,
    long Connects,
    long ConnectionFaults,
    long Timeouts,
    long UnmatchedReplies);
