using EdgePartition.Modbus.Channel;

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
    private readonly Lock _backoffLock = new();
    private ModbusChannel? _channel;
    private ReconnectBackoff _backoff;
    private int _deadConnections;
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
        Volatile.Read(ref _channel)?.CloseByApplication(new ModbusException(ModbusErrorReason.ConnectionClosed, "disconnected by the application"));

    public ValueTask DisposeAsync()
    {
        var previous = (ModbusConnectionState)Interlocked.Exchange(ref _state, (int)ModbusConnectionState.Disposed);
        if (previous != ModbusConnectionState.Disposed)
        {
            Volatile.Read(ref _channel)?.CloseByApplication(new ModbusException(ModbusErrorReason.ConnectionClosed, "the client was disposed"));
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
            long nextAttempt;
            int failures;
            lock (_backoffLock)
            {
                nextAttempt = _backoff.NextAttempt;
                failures = _backoff.ConsecutiveFailures;
            }

            if (nextAttempt != 0 && now < nextAttempt)
            {
                var wait = _time.GetElapsedTime(now, nextAttempt);
                throw new ModbusException(ModbusErrorReason.ReconnectBackoff,
                    $"{Options.Host}:{Options.Port} is unreachable or unresponsive ({failures} failed attempts, last: {LastError?.Message}); next attempt in {wait.TotalMilliseconds:0} ms");
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
                lock (_backoffLock)
                {
                    _backoff.OnFailure(_time);
                }

                TransitionTo(ModbusConnectionState.BackingOff);
                throw;
            }
            catch (OperationCanceledException)
            {
                TransitionTo(ModbusConnectionState.Disconnected);
                throw;
            }

            lock (_backoffLock)
            {
                // The failure count stays until the connection has answered something: see OnChannelClosed.
                _backoff.ClearDelay();
            }

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
        var backOff = false;
        lock (_backoffLock)
        {
            if (channel.HadResponse)
            {
                _deadConnections = 0;
                _backoff.OnSuccess();
            }
            else if (!channel.ClosedByApplication && ++_deadConnections >= 2)
            {
                // A device that accepts connections but never answers: the first reconnect is immediate (one
                // timeout is common), after that reconnects back off like failed connects.
                _backoff.OnFailure(_time);
                backOff = true;
            }
        }

        TransitionTo(backOff ? ModbusConnectionState.BackingOff : ModbusConnectionState.Disconnected);
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
}
