namespace EdgePartition.Modbus.Server;

/// <summary>Running totals of a server, lock-free, readable from any thread.</summary>
public sealed class ModbusServerCounters
{
    private long _accepted;
    private long _refused;
    private long _requests;
    private long _exceptionReplies;
    private long _malformedFrames;
    private long _idleDisconnects;

    /// <summary>Connections taken into service.</summary>
    public long ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>Connections closed at once because <see cref="ModbusServerOptions.MaxClients"/> were connected.</summary>
    public long ConnectionsRefused => Volatile.Read(ref _refused);

    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Requests answered with an exception (bad function, address, value, or a refused write).</summary>
    public long ExceptionReplies => Volatile.Read(ref _exceptionReplies);

    /// <summary>Connections dropped for an invalid MBAP header or a frame cut off by the client.</summary>
    public long MalformedFrames => Volatile.Read(ref _malformedFrames);

    /// <summary>Connections dropped after <see cref="ModbusServerOptions.IdleTimeout"/> of silence.</summary>
    public long IdleDisconnects => Volatile.Read(ref _idleDisconnects);

    internal void OnAccepted() => Interlocked.Increment(ref _accepted);

    internal void OnRefused() => Interlocked.Increment(ref _refused);

    internal void OnRequest(bool exception)
    {
        Interlocked.Increment(ref _requests);
        if (exception)
        {
            Interlocked.Increment(ref _exceptionReplies);
        }
    }

    internal void OnMalformedFrame() => Interlocked.Increment(ref _malformedFrames);

    internal void OnIdleDisconnect() => Interlocked.Increment(ref _idleDisconnects);
}
