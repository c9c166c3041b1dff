using System.Threading.Tasks.Sources;

namespace EdgePartition.Modbus.Channel;

/// <summary>
/// One transaction slot of a <see cref="ModbusChannel"/>: request and reply buffers, the transaction id it waits for,
/// and a reusable awaitable. Slots are pooled per channel (one per allowed transaction in flight), so a request
/// allocates nothing. Exactly one of reply, timeout, cancellation or connection loss completes a pending slot: they
/// race on <see cref="TryClaim"/>.
/// </summary>
internal sealed class PendingRequest : IValueTaskSource, IValueTaskSource<bool>
{
    private const int Idle = 0;
    private const int Pending = 1;
    private const int Claimed = 2;

    // Continuations run on the reply's reader loop: the caller decodes straight from Response without a thread hop.
    private ManualResetValueTaskSourceCore<bool> _completion;
    private int _state;

    public PendingRequest(ModbusChannel owner) => Owner = owner;

    public ModbusChannel Owner { get; }

    /// <summary>MBAP header followed by the request PDU.</summary>
    public byte[] Request { get; } = new byte[ModbusLimits.MaxAduLength];

    /// <summary>The reply PDU (function code onwards), valid after the exchange completed.</summary>
    public byte[] Response { get; } = new byte[ModbusLimits.MaxPduLength];

    public int ResponseLength { get; set; }

    public ushort TransactionId { get; private set; }

    public ModbusFunction Function { get; private set; }

    public byte UnitId { get; private set; }

    /// <summary>TimeProvider timestamp after which the request has timed out.</summary>
    public long Deadline { get; private set; }

    public ITimer? Timer { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    public Span<byte> RequestPdu => Request.AsSpan(ModbusLimits.MbapHeaderLength);

    public ReadOnlySpan<byte> ResponsePdu => Response.AsSpan(0, ResponseLength);

    public void Arm(ushort transactionId, byte unitId, ModbusFunction function, long deadline)
    {
        _completion.Reset();
        ResponseLength = 0;
        TransactionId = transactionId;
        UnitId = unitId;
        Function = function;
        Deadline = deadline;
        // Published last: the reader loop trusts the fields above once it sees Pending.
        Volatile.Write(ref _state, Pending);
    }

    public bool IsPendingFor(ushort transactionId) => Volatile.Read(ref _state) == Pending && TransactionId == transactionId;

    public bool IsPending => Volatile.Read(ref _state) == Pending;

    /// <summary>Wins the right to complete this request; false if something else already did.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Pending) == Pending;

    public void Complete() => _completion.SetResult(true);

    public void Fail(Exception error) => _completion.SetException(error);

    public void Release() => Volatile.Write(ref _state, Idle);

    public ValueTask AsValueTask() => new(this, _completion.Version);

    /// <summary>The same completion for the pipelined loop, which takes a reply value (always true here).</summary>
    public ValueTask<bool> Completion => new(this, _completion.Version);

    bool IValueTaskSource<bool>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
