using System.Threading.Tasks.Sources;

namespace EdgePartition.S7.Channel;

/// <summary>
/// One of the negotiated parallel jobs: owns its request and reply buffers, its PDU reference and a reusable
/// awaitable, so a job allocates nothing. Exactly one of reply, timeout, cancellation or connection fault
/// completes it (the first wins).
/// </summary>
internal sealed class S7JobSlot : IValueTaskSource<int>
{
    private const int Idle = 0;
    private const int Pending = 1;
    private const int Completed = 2;

    private ManualResetValueTaskSourceCore<int> _core;
    private int _state;
    private long _deadline;

    public S7JobSlot(int pduSize)
    {
        Request = new byte[Framing.IsoFrameCodec.DataHeaderLength + pduSize];
        Reply = new byte[pduSize];
        // Continuations run on the receive loop: the awaiting job continues without a thread hop. Jobs never block.
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>TPKT + COTP header room followed by the S7 PDU the caller writes.</summary>
    public byte[] Request { get; }

    public byte[] Reply { get; }

    public ushort PduReference { get; set; }

    public bool IsPending => Volatile.Read(ref _state) == Pending;

    internal ITimer? Timer { get; set; }

    internal CancellationTokenRegistration Registration { get; set; }

    /// <summary>The S7 PDU part of the request buffer.</summary>
    public Span<byte> RequestPdu => Request.AsSpan(Framing.IsoFrameCodec.DataHeaderLength);

    /// <summary>The reply length of the armed job, or its failure; await once per job.</summary>
    public ValueTask<int> Completion => new(this, _core.Version);

    /// <summary>Arms the slot for one job that must complete before <paramref name="deadline"/> (a TimeProvider timestamp).</summary>
    public void Arm(long deadline)
    {
        _core.Reset();
        Volatile.Write(ref _deadline, deadline);
        Volatile.Write(ref _state, Pending);
    }

    /// <summary>
    /// Timer callback: fails the job only if its own deadline has passed, so a callback of an earlier job that was
    /// already dispatched when its timer was stopped cannot time out the next job.
    /// </summary>
    public void OnTimer(TimeProvider time, Exception timeout)
    {
        long remaining = Volatile.Read(ref _deadline) - time.GetTimestamp();
        if (remaining <= 0)
        {
            TryFail(timeout);
        }
        else if (IsPending)
        {
            // Early (timer granularity) or a stale callback: wait out the rest of this job's own deadline.
            Timer?.Change(TimeSpan.FromSeconds((double)remaining / time.TimestampFrequency), Timeout.InfiniteTimeSpan);
        }
    }

    public bool TryComplete(ReadOnlySpan<byte> reply)
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Pending) != Pending)
        {
            return false;
        }

        reply.CopyTo(Reply);
        _core.SetResult(reply.Length);
        return true;
    }

    public bool TryFail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Completed, Pending) != Pending)
        {
            return false;
        }

        _core.SetException(error);
        return true;
    }

    public void Disarm() => Volatile.Write(ref _state, Idle);

    int IValueTaskSource<int>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
