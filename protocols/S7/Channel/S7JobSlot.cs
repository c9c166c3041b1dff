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

    public ValueTask<int> Arm()
    {
        _core.Reset();
        Volatile.Write(ref _state, Pending);
        return new ValueTask<int>(this, _core.Version);
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
