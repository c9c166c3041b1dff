namespace EdgePartition.Modbus.Client;

/// <summary>
/// Running totals of one client connection, updated lock-free and readable from any thread (status pages, metrics).
/// </summary>
public sealed class ModbusClientCounters
{
    private long _requests;
    private long _responses;
    private long _exceptionResponses;
    private long _timeouts;
    private long _rejectedFrames;
    private long _connects;
    private long _connectFailures;
    private long _disconnects;
    private long _bytesSent;
    private long _bytesReceived;
    private long _lastResponseTimestamp;

    /// <summary>Requests sent.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Replies matched to a request (normal and exception replies).</summary>
    public long Responses => Volatile.Read(ref _responses);

    /// <summary>Exception replies (device refused the request).</summary>
    public long ExceptionResponses => Volatile.Read(ref _exceptionResponses);

    /// <summary>Requests that timed out.</summary>
    public long Timeouts => Volatile.Read(ref _timeouts);

    /// <summary>Replies discarded: unknown transaction id, or wrong unit id, function code or length.</summary>
    public long RejectedFrames => Volatile.Read(ref _rejectedFrames);

    /// <summary>Successful connects (the first one and every reconnect).</summary>
    public long Connects => Volatile.Read(ref _connects);

    /// <summary>Connect attempts that failed.</summary>
    public long ConnectFailures => Volatile.Read(ref _connectFailures);

    /// <summary>Connections that ended (peer closed, error, timeout).</summary>
    public long Disconnects => Volatile.Read(ref _disconnects);

    public long BytesSent => Volatile.Read(ref _bytesSent);

    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the last matched reply, 0 if none yet.</summary>
    public long LastResponseTimestamp => Volatile.Read(ref _lastResponseTimestamp);

    internal void OnRequest(int bytes)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void OnResponse(long timestamp)
    {
        Interlocked.Increment(ref _responses);
        Volatile.Write(ref _lastResponseTimestamp, timestamp);
    }

    internal void OnBytesReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void OnExceptionResponse() => Interlocked.Increment(ref _exceptionResponses);

    internal void OnTimeout() => Interlocked.Increment(ref _timeouts);

    internal void OnRejectedFrame() => Interlocked.Increment(ref _rejectedFrames);

    internal void OnConnect() => Interlocked.Increment(ref _connects);

    internal void OnConnectFailure() => Interlocked.Increment(ref _connectFailures);

    internal void OnDisconnect() => Interlocked.Increment(ref _disconnects);
}
