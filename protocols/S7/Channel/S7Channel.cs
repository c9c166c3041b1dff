using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EdgePartition.S7.Framing;
using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Channel;

/// <summary>
/// One negotiated ISO-on-TCP connection: sends jobs, routes replies to them by PDU reference, and bounds every job
/// by a timeout. Any timeout, cancellation in flight, malformed frame or socket error faults the whole channel
/// (a late reply would otherwise be taken for the answer to the next job); the owner opens a new one.
/// </summary>
internal sealed class S7Channel : IAsyncDisposable
{
    private const byte TpduSizeCode1024 = 0x0A;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly IsoMessageReader _messages;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _slotsFree;
    private readonly Stack<S7JobSlot> _freeSlots = new();
    private readonly S7JobSlot[] _slots;
    private readonly byte[] _receiveBuffer;
    private Task _receiveLoop = Task.CompletedTask;
    private int _nextReference;
    private Exception? _fault;
    private readonly S7TrafficCounters _counters;

    private S7Channel(Socket socket, TimeProvider time, S7TrafficCounters counters, int pduSize, int parallelJobs, int firstReference)
    {
        _counters = counters;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024));
        _messages = new IsoMessageReader(_reader);
        _time = time;
        PduSize = pduSize;
        ParallelJobs = parallelJobs;
        _nextReference = firstReference;
        _receiveBuffer = new byte[pduSize];
        _slots = new S7JobSlot[parallelJobs];
        for (int i = 0; i < parallelJobs; i++)
        {
            var slot = new S7JobSlot(pduSize);
            slot.Timer = CreateTimer(time, slot);
            _slots[i] = slot;
            _freeSlots.Push(slot);
        }

        _slotsFree = new SemaphoreSlim(parallelJobs, parallelJobs);
    }

    public int PduSize { get; }

    public int ParallelJobs { get; }

    public bool IsFaulted => Volatile.Read(ref _fault) is not null;

    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Invoked once, from any thread, when the channel faults.</summary>
    public Action<Exception>? Faulted { get; set; }

    /// <summary>TCP connect, COTP CR/CC, Setup Communication; the whole handshake is bounded by the connect timeout.</summary>
    public static async ValueTask<S7Channel> OpenAsync(S7ConnectionParameters parameters, TimeProvider time, S7TrafficCounters counters,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(parameters.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        S7Channel? channel = null;
        try
        {
            try
            {
                await socket.ConnectAsync(parameters.Host, parameters.Port, timeout.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new S7ProtocolException(ProtocolErrorReason.ConnectionFailed,
                    $"TCP connect to {parameters.Host}:{parameters.Port} failed ({e.SocketErrorCode}): check the address, that port {parameters.Port} is reachable and the PLC is on.",
                    (int)e.SocketErrorCode, e);
            }

            int requested = parameters.RequestedPduSize;
            var handshake = new S7Channel(socket, time, counters, requested, 1, 1);
            channel = handshake;
            var (pduSize, parallelJobs) = await handshake.HandshakeAsync(parameters, timeout.Token).ConfigureAwait(false);

            // Re-wrap the connected socket with buffers sized to the negotiated PDU and slots for the parallel jobs.
            channel = new S7Channel(handshake, pduSize, parallelJobs);
            channel._receiveLoop = channel.ReceiveLoopAsync();
            return channel;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietly(channel, socket).ConfigureAwait(false);
            throw new S7ProtocolException(ProtocolErrorReason.Timeout,
                $"Connecting to {parameters.Host}:{parameters.Port} took longer than {parameters.ConnectTimeout.TotalMilliseconds:F0} ms: check the network path and that the PLC accepts S7 connections.");
        }
        catch
        {
            await DisposeQuietly(channel, socket).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Takes over the handshake channel's socket and pipe (no bytes are lost: the pipe is reused).</summary>
    private S7Channel(S7Channel handshake, int pduSize, int parallelJobs)
    {
        _socket = handshake._socket;
        _stream = handshake._stream;
        _reader = handshake._reader;
        _messages = handshake._messages;
        _time = handshake._time;
        PduSize = pduSize;
        ParallelJobs = parallelJobs;
        _nextReference = handshake._nextReference;
        _counters = handshake._counters;
        _receiveBuffer = new byte[pduSize];
        _slots = new S7JobSlot[parallelJobs];
        for (int i = 0; i < parallelJobs; i++)
        {
            var slot = new S7JobSlot(pduSize);
            slot.Timer = CreateTimer(_time, slot);
            _slots[i] = slot;
            _freeSlots.Push(slot);
        }

        _slotsFree = new SemaphoreSlim(parallelJobs, parallelJobs);
        foreach (var slot in handshake._slots)
        {
            slot.Timer?.Dispose();
        }
    }

    private async ValueTask<(int PduSize, int ParallelJobs)> HandshakeAsync(S7ConnectionParameters parameters, CancellationToken cancellationToken)
    {
        var buffer = _slots[0].Request;
        int length = IsoFrameCodec.WriteConnection(buffer, CotpPduType.ConnectionRequest, 0, 1, TpduSizeCode1024,
            parameters.LocalTsap, parameters.RemoteTsap);
        await SendRawAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        int received = await _messages.ReadAsync(_receiveBuffer, MaxFrameLength, cancellationToken).ConfigureAwait(false);
        if (received >= 0 || _messages.LastControl.Type != CotpPduType.ConnectionConfirm)
        {
            throw new S7ProtocolException(ProtocolErrorReason.ConnectionFailed,
                $"The PLC refused the ISO connection (TSAP 0x{parameters.LocalTsap:X4} → 0x{parameters.RemoteTsap:X4}): check rack/slot (S7-300: 0/2, S7-1200/1500: 0/0 or 0/1), the connection type and that the CPU has a free connection resource.");
        }

        var pdu = _slots[0].RequestPdu;
        ushort reference = NextReference();
        int pduLength = S7JobWriter.WriteSetupCommunication(pdu, reference, parameters.RequestedParallelJobs, parameters.RequestedPduSize);
        int frameLength = IsoFrameCodec.WriteDataHeader(buffer, pduLength);
        await SendRawAsync(buffer.AsMemory(0, frameLength), cancellationToken).ConfigureAwait(false);
        received = await _messages.ReadAsync(_receiveBuffer, MaxFrameLength, cancellationToken).ConfigureAwait(false);
        if (received < 0)
        {
            S7ProtocolException.Throw(ProtocolErrorReason.NegotiationFailed, "The PLC closed the ISO connection during Setup Communication.");
        }

        Interlocked.Add(ref _counters.BytesReceived, received + IsoFrameCodec.DataHeaderLength);
        var (grantedJobs, grantedPdu) = S7ReplyReader.ReadSetupCommunication(_receiveBuffer.AsSpan(0, received));
        if (grantedPdu < 64)
        {
            S7ProtocolException.Throw(ProtocolErrorReason.NegotiationFailed, $"The PLC granted an unusable PDU size of {grantedPdu} bytes.");
        }

        return (Math.Min(grantedPdu, parameters.RequestedPduSize),
            Math.Clamp(Math.Min(grantedJobs, parameters.RequestedParallelJobs), 1, 32));
    }

    private int MaxFrameLength => IsoFrameCodec.DataHeaderLength + PduSize;

    /// <summary>Waits for a free parallel-job slot and assigns it the next PDU reference.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<S7JobSlot> RentAsync(CancellationToken cancellationToken)
    {
        ThrowIfFaulted();
        await _slotsFree.WaitAsync(cancellationToken).ConfigureAwait(false);
        S7JobSlot slot;
        lock (_freeSlots)
        {
            slot = _freeSlots.Pop();
        }

        slot.PduReference = NextReference();
        return slot;
    }

    /// <summary>
    /// Takes a free slot without waiting, for a pipeline that already holds slots: waiting for one while holding
    /// others could deadlock two pipelines sharing the parallel jobs.
    /// </summary>
    public bool TryRent([NotNullWhen(true)] out S7JobSlot? slot)
    {
        slot = null;
        if (IsFaulted || !_slotsFree.Wait(0))
        {
            return false;
        }

        lock (_freeSlots)
        {
            slot = _freeSlots.Pop();
        }

        slot.PduReference = NextReference();
        return true;
    }

    /// <summary>Ends the slot's job (timer, cancellation) and frees it; the caller is done with its reply.</summary>
    public void Return(S7JobSlot slot)
    {
        slot.Timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // Waits only if the cancellation callback runs right now on another thread (it just fails the slot), and not
        // at all from inside that callback: the next job on this slot can never be failed by a late callback.
        slot.Registration.Dispose();
        slot.Registration = default;
        slot.Disarm();
        lock (_freeSlots)
        {
            _freeSlots.Push(slot);
        }

        _slotsFree.Release();
    }

    /// <summary>
    /// Sends the S7 PDU of <paramref name="pduLength"/> bytes the caller wrote into the slot and returns the length of
    /// the reply in <see cref="S7JobSlot.Reply"/>. Faults the channel on timeout or cancellation.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ExecuteAsync(S7JobSlot slot, int pduLength, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await SendJobAsync(slot, pduLength, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            int length = await slot.Completion.ConfigureAwait(false);
            OnJobCompleted();
            return length;
        }
        catch (Exception error)
        {
            OnJobFailed(error);
            throw;
        }
    }

    /// <summary>
    /// Arms the slot with the job's deadline and cancellation and sends the PDU the caller wrote into it. Never
    /// throws: a faulted channel or a failed send fails the slot, so the outcome is always what
    /// <see cref="S7JobSlot.Completion"/> yields (which a pipeline awaits later, in order). The caller reports that
    /// outcome with <see cref="OnJobCompleted"/> or <see cref="OnJobFailed"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendJobAsync(S7JobSlot slot, int pduLength, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int frameLength = IsoFrameCodec.WriteDataHeader(slot.Request, pduLength);
        slot.Arm(_time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency));
        // Armed first, checked second: a fault after this check fails the armed slot through Abort.
        if (Fault is { } fault)
        {
            slot.TryFail(NotConnectedError(fault));
            return;
        }

        try
        {
            slot.Timer!.Change(timeout, Timeout.InfiniteTimeSpan);
            if (cancellationToken.CanBeCanceled)
            {
                slot.Registration = cancellationToken.UnsafeRegister(static (s, token) =>
                    ((S7JobSlot)s!).TryFail(new OperationCanceledException(token)), slot);
            }

            await SendRawAsync(slot.Request.AsMemory(0, frameLength), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            var reason = AsChannelError(error);
            Abort(reason);
            slot.TryFail(reason);
        }
    }

    /// <summary>Counts a job whose reply arrived.</summary>
    public void OnJobCompleted() => Interlocked.Increment(ref _counters.RoundTrips);

    /// <summary>Whatever ended the wait for a reply, the reply may still come: this connection can no longer be trusted.</summary>
    public void OnJobFailed(Exception error) => Abort(AsChannelError(error));

    private static Exception AsChannelError(Exception error) => error is S7ProtocolException or OperationCanceledException ? error
        : new S7ProtocolException(ProtocolErrorReason.ConnectionClosed, $"The connection broke: {error.Message}", 0, error);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendRawAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int sent = 0;
            while (sent < frame.Length)
            {
                int n = await _socket.SendAsync(frame[sent..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n <= 0)
                {
                    S7ProtocolException.Throw(ProtocolErrorReason.ConnectionClosed, "The connection closed while sending.");
                }

                sent += n;
            }

            Interlocked.Add(ref _counters.BytesSent, frame.Length);
        }
        catch (SocketException e)
        {
            throw new S7ProtocolException(ProtocolErrorReason.ConnectionClosed, $"Sending to the PLC failed ({e.SocketErrorCode}).", (int)e.SocketErrorCode, e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                int length = await _messages.ReadAsync(_receiveBuffer, MaxFrameLength, CancellationToken.None).ConfigureAwait(false);
                if (length < 0)
                {
                    S7ProtocolException.Throw(ProtocolErrorReason.ConnectionClosed,
                        _messages.LastControl.Type == CotpPduType.DisconnectRequest
                            ? "The PLC ended the ISO connection (COTP disconnect request)."
                            : $"Unexpected COTP TPDU 0x{(byte)_messages.LastControl.Type:X2} on an open connection.");
                }

                Interlocked.Add(ref _counters.BytesReceived, length + IsoFrameCodec.DataHeaderLength);
                var pdu = _receiveBuffer.AsSpan(0, length);
                if (!S7Header.TryReadPduReference(pdu, out ushort reference))
                {
                    S7Header.Parse(pdu); // throws the precise malformed-frame reason
                }

                if (!Complete(reference, pdu))
                {
                    Interlocked.Increment(ref _counters.UnmatchedReplies);
                }
            }
        }
        catch (Exception error)
        {
            Abort(error is S7ProtocolException ? error
                : new S7ProtocolException(ProtocolErrorReason.ConnectionClosed, $"The connection broke: {error.Message}", 0, error));
        }
    }

    private bool Complete(ushort reference, ReadOnlySpan<byte> pdu)
    {
        foreach (var slot in _slots)
        {
            if (slot.IsPending && slot.PduReference == reference)
            {
                return slot.TryComplete(pdu);
            }
        }

        return false;
    }

    /// <summary>Faults the channel once: closes the socket and fails every job in flight with the same error.</summary>
    public void Abort(Exception error)
    {
        if (Interlocked.CompareExchange(ref _fault, error, null) is not null)
        {
            return;
        }

        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }

        // The owner learns first: failed jobs continue inline and must already see the faulted state.
        Faulted?.Invoke(error);
        foreach (var slot in _slots)
        {
            slot.TryFail(error);
        }
    }

    private void ThrowIfFaulted()
    {
        if (Fault is { } fault)
        {
            throw NotConnectedError(fault);
        }
    }

    private static S7ProtocolException NotConnectedError(Exception fault) =>
        new(ProtocolErrorReason.NotConnected, $"The connection is closed: {fault.Message}", fault is S7ProtocolException p ? (int)p.Code : 0, fault);

    private ushort NextReference()
    {
        // Zero is skipped so an all-zero frame never matches a job.
        int next = Interlocked.Increment(ref _nextReference) & 0xFFFF;
        return next == 0 ? (ushort)Interlocked.Increment(ref _nextReference) : (ushort)next;
    }

    private static ITimer CreateTimer(TimeProvider time, S7JobSlot slot) =>
        time.CreateTimer(static state =>
        {
            var (provider, owner) = ((TimeProvider, S7JobSlot))state!;
            owner.OnTimer(provider, TimeoutError());
        }, (time, slot), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private static S7ProtocolException TimeoutError() =>
        new(ProtocolErrorReason.Timeout, "The PLC did not answer the job in time; the connection was closed and will be reopened.");

    private static async ValueTask DisposeQuietly(S7Channel? channel, Socket socket)
    {
        if (channel is not null)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort(new S7ProtocolException(ProtocolErrorReason.NotConnected, "The connection was closed by this client."));
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loop reports through Abort; nothing more to observe.
        }

        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        foreach (var slot in _slots)
        {
            slot.Timer?.Dispose();
        }

        _sendLock.Dispose();
        _slotsFree.Dispose();
    }
}
