using System.Buffers;
using System.Runtime.CompilerServices;
using EdgePartition.Modbus.Channel;
using EdgePartition.Modbus.Planning;
using EdgePartition.Modbus.Wire;

namespace EdgePartition.Modbus.Client;

/// <summary>
/// A Modbus TCP client for one device: the long-lived logical connection. It connects on first use, reconnects on
/// the next request after the connection was lost (with exponential backoff and jitter after failed connects),
/// splits requests at the device's limits, and keeps up to <see cref="ModbusClientOptions.MaxInFlight"/> requests in
/// flight. Thread-safe: requests from several tasks share the connection. Addresses are 0-based wire addresses (see
/// <see cref="Data.ModbusAddress"/> for the notations).
/// </summary>
/// <remarks>
/// Awaits of a request resume on the connection's reader loop when the reply arrives: keep code directly after an
/// await short or hand long work to another task, or replies for the other requests in flight wait behind it.
/// </remarks>
public sealed partial class ModbusTcpClient : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly Action<ModbusChannel, ModbusException> _onChannelClosed;
    private ModbusChannel? _channel;
    private ReconnectBackoff _backoff;
    private int _state;

    public ModbusTcpClient(ModbusClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _time = timeProvider ?? TimeProvider.System;
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
        _onChannelClosed = OnChannelClosed;
    }

    public ModbusClientOptions Options { get; }

    public ModbusClientCounters Counters { get; } = new();

    public ModbusConnectionState State => (ModbusConnectionState)Volatile.Read(ref _state);

    /// <summary>Why the last connection ended or the last connect failed; null while none has.</summary>
    public ModbusException? LastError { get; private set; }

    /// <summary>Requests waiting for their reply right now.</summary>
    public int InFlight => Volatile.Read(ref _channel)?.InFlight ?? 0;

    /// <summary>Raised on every state change (old, new), on the thread that caused it; keep handlers short.</summary>
    public event Action<ModbusConnectionState, ModbusConnectionState>? StateChanged;

    /// <summary>
    /// Connects now rather than on the first request. Throws <see cref="ModbusException"/> with
    /// <see cref="ModbusErrorReason.ConnectFailed"/> or <see cref="ModbusErrorReason.ReconnectBackoff"/>.
    /// </summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default) =>
        await GetChannelAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the current connection (if any); the next request opens a new one.</summary>
    public void Disconnect() =>
        Volatile.Read(ref _channel)?.Close(new ModbusException(ModbusErrorReason.ConnectionClosed, "disconnected by the application"));

    public ValueTask DisposeAsync()
    {
        var previous = (ModbusConnectionState)Interlocked.Exchange(ref _state, (int)ModbusConnectionState.Disposed);
        if (previous != ModbusConnectionState.Disposed)
        {
            Volatile.Read(ref _channel)?.Close(new ModbusException(ModbusErrorReason.ConnectionClosed, "the client was disposed"));
            StateChanged?.Invoke(previous, ModbusConnectionState.Disposed);
        }

        return ValueTask.CompletedTask;
    }

    // ---- connection management -------------------------------------------------------------------------------

    private ValueTask<ModbusChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        var channel = Volatile.Read(ref _channel);
        return channel is not null && channel.IsOpen ? new ValueTask<ModbusChannel>(channel) : ConnectSlowAsync(cancellationToken);
    }

    private async ValueTask<ModbusChannel> ConnectSlowAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(State == ModbusConnectionState.Disposed, this);
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = _channel;
            if (channel is not null && channel.IsOpen)
            {
                return channel;
            }

            ObjectDisposedException.ThrowIf(State == ModbusConnectionState.Disposed, this);
            var now = _time.GetTimestamp();
            if (_backoff.NextAttempt != 0 && now < _backoff.NextAttempt)
            {
                var wait = _time.GetElapsedTime(now, _backoff.NextAttempt);
                throw new ModbusException(ModbusErrorReason.ReconnectBackoff,
                    $"{Options.Host}:{Options.Port} is unreachable ({_backoff.ConsecutiveFailures} failed connects, last: {LastError?.Message}); next attempt in {wait.TotalMilliseconds:0} ms");
            }

            TransitionTo(ModbusConnectionState.Connecting);
            try
            {
                channel = await ModbusChannel.ConnectAsync(Options, _time, Counters, _onChannelClosed, cancellationToken).ConfigureAwait(false);
            }
            catch (ModbusException e)
            {
                Counters.OnConnectFailure();
                LastError = e;
                _backoff.OnFailure(_time);
                TransitionTo(ModbusConnectionState.BackingOff);
                throw;
            }
            catch (OperationCanceledException)
            {
                TransitionTo(ModbusConnectionState.Disconnected);
                throw;
            }

            _backoff.OnSuccess();
            Counters.OnConnect();
            Volatile.Write(ref _channel, channel);
            if (!TransitionTo(ModbusConnectionState.Connected))
            {
                // Disposed while connecting.
                channel.Close(new ModbusException(ModbusErrorReason.ConnectionClosed, "the client was disposed"));
                ObjectDisposedException.ThrowIf(true, this);
            }

            return channel;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private void OnChannelClosed(ModbusChannel channel, ModbusException reason)
    {
        if (channel != Volatile.Read(ref _channel))
        {
            return; // a connection that is no longer current
        }

        LastError = reason;
        TransitionTo(ModbusConnectionState.Disconnected);
    }

    /// <summary>Moves to a new state unless disposed; false when disposed.</summary>
    private bool TransitionTo(ModbusConnectionState next)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current == (int)ModbusConnectionState.Disposed)
            {
                return false;
            }

            if (current == (int)next)
            {
                return true;
            }

            if (Interlocked.CompareExchange(ref _state, (int)next, current) == current)
            {
                StateChanged?.Invoke((ModbusConnectionState)current, next);
                return true;
            }
        }
    }

    // ---- plan reads --------------------------------------------------------------------------------------------

    /// <summary>
    /// Executes every request of <paramref name="plan"/>, up to <see cref="ModbusClientOptions.MaxInFlight"/> at once,
    /// into <paramref name="values"/> (at least <see cref="ModbusReadPlan.BufferLength"/> long; bits as 0/1). When
    /// <paramref name="requestResults"/> is given (one per request), exception replies are recorded there and the other
    /// requests go on; without it they throw. Connection errors and timeouts always throw.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadAsync(ModbusReadPlan plan, Memory<ushort> values, Memory<ModbusExceptionCode> requestResults = default,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, plan.BufferLength, nameof(values));
        if (requestResults.Length != 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requestResults.Length, plan.Requests.Length, nameof(requestResults));
        }

        var workers = Math.Min(Options.MaxInFlight, plan.Requests.Length);
        if (workers <= 1)
        {
            await ReadPlanShareAsync(plan, 0, 1, values, requestResults, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Worker w executes requests w, w+n, w+2n...: no shared cursor, and n requests in flight.
        var running = ArrayPool<ValueTask>.Shared.Rent(workers);
        try
        {
            for (var w = 0; w < workers; w++)
            {
                running[w] = ReadPlanShareAsync(plan, w, workers, values, requestResults, cancellationToken);
            }

            Exception? first = null;
            for (var w = 0; w < workers; w++)
            {
                try
                {
                    await running[w].ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    first ??= e;
                }
            }

            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }
        }
        finally
        {
            Array.Clear(running, 0, workers);
            ArrayPool<ValueTask>.Shared.Return(running);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadPlanShareAsync(ModbusReadPlan plan, int first, int stride, Memory<ushort> values,
        Memory<ModbusExceptionCode> requestResults, CancellationToken cancellationToken)
    {
        for (var i = first; i < plan.Requests.Length; i += stride)
        {
            var request = plan.Requests[i];
            var destination = values.Slice(request.BufferOffset, request.Count);
            if (requestResults.Length == 0)
            {
                await ReadWordsChunkAsync(request.Table, request.Start, destination, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await ReadWordsChunkAsync(request.Table, request.Start, destination, cancellationToken).ConfigureAwait(false);
                requestResults.Span[i] = ModbusExceptionCode.None;
            }
            catch (ModbusException e) when (e.Reason == ModbusErrorReason.ExceptionResponse)
            {
                requestResults.Span[i] = e.ExceptionCode;
            }
        }
    }

    // ---- the one exchange every operation goes through ---------------------------------------------------------

    /// <summary>Reads one request's worth of any table into registers (bits as 0/1).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadWordsChunkAsync(ModbusTable table, ushort start, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        var function = table.ReadFunction();
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = RequestEncoder.Read(slot.RequestPdu, function, start, destination.Length);
            await channel.ExchangeAsync(slot, Options.UnitId, function, length, cancellationToken).ConfigureAwait(false);
            if (table.IsBits())
            {
                ResponseDecoder.ReadBits(slot.ResponsePdu, function, destination.Span);
            }
            else
            {
                ResponseDecoder.ReadRegisters(slot.ResponsePdu, function, destination.Span);
            }
        }
        catch (ModbusException e) when (channel.OnReplyError(e))
        {
            throw; // not reached: the filter records the error and returns false
        }
        finally
        {
            channel.Return(slot);
        }
    }
}
