namespace EdgePartition.Sync.Requests;

/// <summary>Lifecycle of one request/ack pair; the numbers are the u8 codes of `request.&lt;pair&gt;.state`.</summary>
public enum RequestAckState : byte
{
    Idle = 0,
    Requested = 1,

    /// <summary>The executor's state tag showed the request being carried out.</summary>
    Executed = 2,

    /// <summary>The requester acknowledged after the execution: served.</summary>
    Acknowledged = 3,

    /// <summary>Not acknowledged within the pair's timeout.</summary>
    TimedOut = 4,
}
