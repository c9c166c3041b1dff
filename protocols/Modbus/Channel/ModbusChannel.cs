using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Framing;

namespace EdgePartition.Modbus.Channel;

/// <summary>
/// One TCP connection to a Modbus device: sends framed requests, matches replies by transaction id, enforces the
/// in-flight window and the per-request timeout. A channel is disposable and never reused: any timeout, cancellation,
/// malformed frame or mismatched reply closes it and fails everything in flight, so a late reply can never be taken
/// for the answer to a later request. <see cref="ModbusTcpClient"/> opens the next one.
/// </summary>
internal sealed class ModbusChannel
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PendingRequest[] _slots;
    private readonly Stack<PendingRequest> _free;
    private readonly SemaphoreSlim _window;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TimeProvider _time;
    private readonly TimeSpan _requestTimeout;
    private readonly ModbusClientCounters _counters;
    private readonly Action<ModbusChannel, ModbusProtocolException> _onClosed;
    private int _nextTransactionId;
    private int _closed;
    private bool _closedByApplication;
    private bool _hadResponse;
    private ModbusProtocolException? _closeReason;

    private ModbusChannel(Socket socket, int maxInFlight, TimeSpan requestTimeout, TimeProvider time,
        ModbusClientCounters counters, Action<ModbusChannel, ModbusProtocolException> onClosed)
    {
        _socket = socket;
        // A frame is at most 260 bytes; segments of 4 KiB hold a burst of pipelined replies. Close disposes the
        // socket, which ends the receive loop; the read loop completes the pipe.
        _input = SocketPipe.Start(socket);
        _time = time;
        _requestTimeout = requestTimeout;
        _counters = counters;
        _onClosed = onClosed;
        _slots = new PendingRequest[maxInFlight];
        _free = new Stack<PendingRequest>(maxInFlight);
        for (var i = 0; i < maxInFlight; i++)
        {
            _slots[i] = new PendingRequest(this);
            _free.Push(_slots[i]);
        }

        _window = new SemaphoreSlim(maxInFlight, maxInFlight);
        // Start somewhere arbitrary so two consecutive connections do not reuse the same ids.
        _nextTransactionId = Random.Shared.Next(0, 0x10000);
    }

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    public ModbusProtocolException? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>True once any reply was matched on this connection (the device is alive, not just accepting).</summary>
    public bool HadResponse => Volatile.Read(ref _hadResponse);

    /// <summary>True when the application, not an error, closed the connection.</summary>
    public bool ClosedByApplication => Volatile.Read(ref _closedByApplication);

    /// <summary>Requests currently waiting for their reply.</summary>
    public int InFlight
    {
        get
        {
            var count = 0;
            foreach (var slot in _slots)
            {
                count += slot.IsPending ? 1 : 0;
            }

            return count;
        }
    }

    public static async ValueTask<ModbusChannel> ConnectAsync(ModbusClientOptions options, TimeProvider time,
        ModbusClientCounters counters, Action<ModbusChannel, ModbusProtocolException> onClosed, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
            using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
            try
            {
                await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ModbusProtocolException(ProtocolErrorReason.ConnectionFailed,
                    $"connect to {options.Host}:{options.Port} timed out after {options.ConnectTimeout.TotalMilliseconds:0} ms; check the address, the port and the network path");
            }
            catch (SocketException e)
            {
                throw new ModbusProtocolException(ProtocolErrorReason.ConnectionFailed,
                    $"connect to {options.Host}:{options.Port} failed: {e.SocketErrorCode}; check the device is up and listens on this port", innerException: e);
            }

            var channel = new ModbusChannel(socket, options.MaxInFlight, options.RequestTimeout, time, counters, onClosed);
            _ = channel.ReadLoopAsync();
            return channel;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for a free transaction slot (the in-flight window).</summary>
    public async ValueTask<PendingRequest> RentAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        PendingRequest slot;
        lock (_free)
        {
            slot = _free.Pop();
        }

        if (!IsOpen)
        {
            Return(slot);
            ThrowIfClosed();
        }

        return slot;
    }

    public void Return(PendingRequest slot)
    {
        slot.Timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        slot.Cancellation.Dispose();
        slot.Cancellation = default;
        slot.Release();
        lock (_free)
        {
            _free.Push(slot);
        }

        _window.Release();
    }

    /// <summary>
    /// Takes a free transaction slot without waiting, for a pipeline that already holds slots: waiting for one while
    /// holding others could deadlock two pipelines sharing the window.
    /// </summary>
    public bool TryRent([NotNullWhen(true)] out PendingRequest? slot)
    {
        slot = null;
        if (!IsOpen || !_window.Wait(0))
        {
            return false;
        }

        lock (_free)
        {
            slot = _free.Pop();
        }

        return true;
    }

    /// <summary>
    /// Frames the PDU already written at <see cref="PendingRequest.RequestPdu"/>, sends it and waits for the matching
    /// reply (left in <see cref="PendingRequest.ResponsePdu"/>) or a failure.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExchangeAsync(PendingRequest slot, byte unitId, ModbusFunction function, int pduLength, CancellationToken cancellationToken)
    {
        await SendAsync(slot, unitId, function, pduLength, cancellationToken).ConfigureAwait(false);
        await slot.AsValueTask().ConfigureAwait(false);
    }

    /// <summary>
    /// Frames and sends the PDU already written at <see cref="PendingRequest.RequestPdu"/> and arms the slot's timeout.
    /// Never throws: a closed connection or a failed send fails the slot, so the caller always learns the outcome from
    /// <see cref="PendingRequest.AsValueTask"/> (which a pipeline awaits later, in order).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(PendingRequest slot, byte unitId, ModbusFunction function, int pduLength, CancellationToken cancellationToken)
    {
        var transactionId = (ushort)Interlocked.Increment(ref _nextTransactionId);
        MbapHeader.Write(slot.Request, transactionId, unitId, pduLength);
        slot.Arm(transactionId, unitId, function, _time.GetTimestamp() + (long)(_requestTimeout.TotalSeconds * _time.TimestampFrequency));
        slot.Timer ??= _time.CreateTimer(static s => ((PendingRequest)s!).Owner.OnTimer((PendingRequest)s!), slot,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        slot.Timer.Change(_requestTimeout, Timeout.InfiniteTimeSpan);
        var frameLength = ModbusLimits.MbapHeaderLength + pduLength;
        try
        {
            if (cancellationToken.CanBeCanceled)
            {
                slot.Cancellation = cancellationToken.UnsafeRegister(static (s, token) => ((PendingRequest)s!).Owner.OnCanceled((PendingRequest)s!, token), slot);
            }

            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!IsOpen)
                {
                    // Closed after the slot was rented: nothing else will complete it, so fail it here.
                    if (slot.TryClaim())
                    {
                        slot.Fail(ClosedError());
                    }

                    return;
                }

                await _socket.SendAsync(slot.Request.AsMemory(0, frameLength), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                _counters.OnRequest(frameLength);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            var error = e is OperationCanceledException ? e : new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed,
                $"{function}: sending failed ({(e as SocketException)?.SocketErrorCode.ToString() ?? "socket closed"})", function: function, innerException: e);
            var claimed = slot.TryClaim();
            Close(error as ModbusProtocolException ?? new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, $"{function}: request canceled while sending", function: function));
            if (claimed)
            {
                slot.Fail(error);
            }
        }
    }

    /// <summary>
    /// Called when decoding a matched reply failed. An unexpected reply means the device and we disagree about the
    /// stream, so the channel closes. Always returns false, for use in an exception filter that keeps the stack.
    /// </summary>
    public bool OnReplyError(ModbusProtocolException error)
    {
        if (error.Reason == ProtocolErrorReason.PeerRejected)
        {
            _counters.OnExceptionResponse();
        }
        else if (error.Reason == ProtocolErrorReason.UnexpectedReply)
        {
            _counters.OnRejectedFrame();
            Close(error);
        }

        return false;
    }

    /// <summary>Closes on the application's request (disconnect, dispose): not counted as a failed connection.</summary>
    public void CloseByApplication(ModbusProtocolException reason)
    {
        Volatile.Write(ref _closedByApplication, true);
        Close(reason);
    }

    /// <summary>Closes the connection once and fails every request in flight with the reason.</summary>
    public void Close(ModbusProtocolException reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _closeReason, reason);
        _counters.OnDisconnect();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        foreach (var slot in _slots)
        {
            if (slot.TryClaim())
            {
                slot.Fail(reason.Reason == ProtocolErrorReason.ConnectionClosed ? reason
                    : new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, $"{slot.Function}: connection closed: {reason.Message}", function: slot.Function, innerException: reason));
            }
        }

        _onClosed(this, reason);
    }

    private void ThrowIfClosed()
    {
        if (!IsOpen)
        {
            throw ClosedError();
        }
    }

    private ModbusProtocolException ClosedError()
    {
        var reason = CloseReason;
        return new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, $"connection closed: {reason?.Message ?? "disposed"}", innerException: reason);
    }

    private void OnTimer(PendingRequest slot)
    {
        // A timer armed for an earlier use of the slot may fire late, and any timer may fire a little early: only a
        // pending slot past its deadline times out; one not there yet is re-armed for the rest.
        if (!slot.IsPending)
        {
            return;
        }

        var early = slot.Deadline - _time.GetTimestamp();
        if (early > 0)
        {
            slot.Timer?.Change(TimeSpan.FromSeconds((double)early / _time.TimestampFrequency) + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
            return;
        }

        if (!slot.TryClaim())
        {
            return;
        }

        _counters.OnTimeout();
        var error = new ModbusProtocolException(ProtocolErrorReason.Timeout,
            $"{slot.Function}: no reply within {_requestTimeout.TotalMilliseconds:0} ms (transaction {slot.TransactionId}, {InFlight} other requests in flight); the connection is closed and reopened",
            function: slot.Function);
        // Closed before the caller hears of it, so its next request already finds the connection gone.
        Close(error);
        slot.Fail(error);
    }

    private void OnCanceled(PendingRequest slot, CancellationToken token)
    {
        if (!slot.TryClaim())
        {
            return;
        }

        // The reply may still come: drop the connection rather than track abandoned transaction ids.
        Close(new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, $"{slot.Function}: request canceled by the caller", function: slot.Function));
        slot.Fail(new OperationCanceledException(token));
    }

    private async Task ReadLoopAsync()
    {
        ModbusProtocolException reason;
        // Bytes left in the pipe last time (a partial frame), so only new bytes are counted as received.
        long unconsumed = 0;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                try
                {
                    _counters.OnBytesReceived(buffer.Length - unconsumed);
                    consumed = DispatchFrames(buffer, out unconsumed);
                }
                finally
                {
                    // Examined is the whole buffer: what is left is a partial frame, so the next read waits for more.
                    _input.AdvanceTo(consumed, buffer.End);
                }

                if (result.IsCompleted)
                {
                    reason = unconsumed > 0
                        ? new ModbusProtocolException(ProtocolErrorReason.MalformedFrame, $"the device closed the connection in the middle of a frame ({unconsumed} bytes)")
                        : new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, "the device closed the connection");
                    break;
                }
            }
        }
        catch (ModbusProtocolException e)
        {
            if (e.Reason == ProtocolErrorReason.MalformedFrame)
            {
                _counters.OnRejectedFrame();
            }

            reason = e;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, $"connection lost: {e.Message}", innerException: e);
        }

        Close(reason);
        // Only this loop reads the pipe: completing it here returns its buffers once nothing can touch them.
        await _input.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Hands every whole frame to its request; returns the position after the last one and the bytes left.</summary>
    private SequencePosition DispatchFrames(in ReadOnlySequence<byte> received, out long remaining)
    {
        var reader = new SequenceReader<byte>(received);
        while (MbapFrameReader.TryRead(ref reader, out var header, out var pdu))
        {
            Dispatch(header, pdu);
        }

        remaining = reader.Remaining;
        return reader.Position;
    }

    private void Dispatch(MbapHeader header, ReadOnlySequence<byte> pdu)
    {
        PendingRequest? slot = null;
        foreach (var candidate in _slots)
        {
            if (candidate.IsPendingFor(header.TransactionId))
            {
                slot = candidate;
                break;
            }
        }

        if (slot is null)
        {
            // Messaging Implementation Guide §4.4.2: a reply to no pending transaction is discarded.
            _counters.OnRejectedFrame();
            return;
        }

        var firstByte = FirstByte(pdu);
        var function = firstByte & 0x7F;
        if (header.UnitId != slot.UnitId || function != (byte)slot.Function)
        {
            var error = new ModbusProtocolException(ProtocolErrorReason.UnexpectedReply,
                $"{slot.Function}: reply for transaction {header.TransactionId} came from unit {header.UnitId} with function 0x{firstByte:X2} (sent to unit {slot.UnitId}); the connection is closed and reopened",
                function: slot.Function);
            // Counted as rejected by OnReplyError when the caller sees it.
            if (slot.TryClaim())
            {
                Close(error);
                slot.Fail(error);
            }

            throw error;
        }

        if (!slot.TryClaim())
        {
            return;
        }

        pdu.CopyTo(slot.Response);
        slot.ResponseLength = (int)pdu.Length;
        if (!_hadResponse)
        {
            Volatile.Write(ref _hadResponse, true);
        }

        _counters.OnResponse(_time.GetTimestamp());
        slot.Complete();
    }

    private static byte FirstByte(in ReadOnlySequence<byte> pdu)
    {
        var span = pdu.FirstSpan;
        if (span.Length > 0)
        {
            return span[0];
        }

        Span<byte> one = stackalloc byte[1];
        pdu.Slice(0, 1).CopyTo(one);
        return one[0];
    }
}
