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
    private readonly Action<ModbusChannel, ModbusProtocolException> _onChannelClosed;
    private readonly Lock _backoffLock = new();
    private ModbusChannel? _channel;
    private Backoff _backoff;

    // TimeProvider timestamp before which no new connect is attempted; 0 when none is pending.
    private long _nextAttempt;
    private int _deadConnections;
    private int _state;

    public ModbusTcpClient(ModbusClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _time = options.TimeProvider;
        _backoff = new Backoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
        _onChannelClosed = OnChannelClosed;
    }

    public ModbusClientOptions Options { get; }

    public ModbusClientCounters Counters { get; } = new();

    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>Why the last connection ended or the last connect failed; null while none has.</summary>
    public ModbusProtocolException? LastError { get; private set; }

    /// <summary>Requests waiting for their reply right now.</summary>
    public int InFlight => Volatile.Read(ref _channel)?.InFlight ?? 0;

    /// <summary>Raised on every state change (old, new), on the thread that caused it; keep handlers short.</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Connects now rather than on the first request. Throws <see cref="ModbusProtocolException"/> with
    /// <see cref="ProtocolErrorReason.ConnectionFailed"/> or <see cref="ProtocolErrorReason.NotConnected"/>.
    /// </summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default) =>
        await GetChannelAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the current connection (if any); the next request opens a new one.</summary>
    public void Disconnect() =>
        Volatile.Read(ref _channel)?.CloseByApplication(new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, "disconnected by the application"));

    public ValueTask DisposeAsync()
    {
        var previous = (ConnectionState)Interlocked.Exchange(ref _state, (int)ConnectionState.Closed);
        if (previous != ConnectionState.Closed)
        {
            Volatile.Read(ref _channel)?.CloseByApplication(new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, "the client was disposed"));
            StateChanged?.Invoke(this, new ConnectionStateChangedEventArgs(previous, ConnectionState.Closed));
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
        ObjectDisposedException.ThrowIf(State == ConnectionState.Closed, this);
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = _channel;
            if (channel is not null && channel.IsOpen)
            {
                return channel;
            }

            ObjectDisposedException.ThrowIf(State == ConnectionState.Closed, this);
            var now = _time.GetTimestamp();
            long nextAttempt;
            int failures;
            lock (_backoffLock)
            {
                nextAttempt = _nextAttempt;
                failures = _backoff.Failures;
            }

            if (nextAttempt != 0 && now < nextAttempt)
            {
                var wait = _time.GetElapsedTime(now, nextAttempt);
                throw new ModbusProtocolException(ProtocolErrorReason.NotConnected,
                    $"{Options.Host}:{Options.Port} is unreachable or unresponsive ({failures} failed attempts, last: {LastError?.Message}); next attempt in {wait.TotalMilliseconds:0} ms");
            }

            TransitionTo(ConnectionState.Connecting);
            try
            {
                channel = await ModbusChannel.ConnectAsync(Options, _time, Counters, _onChannelClosed, cancellationToken).ConfigureAwait(false);
            }
            catch (ModbusProtocolException e)
            {
                Counters.OnConnectFailure();
                LastError = e;
                lock (_backoffLock)
                {
                    DelayNextAttempt();
                }

                TransitionTo(ConnectionState.BackingOff);
                throw;
            }
            catch (OperationCanceledException)
            {
                TransitionTo(ConnectionState.Disconnected);
                throw;
            }

            lock (_backoffLock)
            {
                // The failure count stays until the connection has answered something: see OnChannelClosed.
                _nextAttempt = 0;
            }

            Counters.OnConnect();
            Volatile.Write(ref _channel, channel);
            if (!TransitionTo(ConnectionState.Connected))
            {
                // Disposed while connecting.
                channel.Close(new ModbusProtocolException(ProtocolErrorReason.ConnectionClosed, "the client was disposed"));
                ObjectDisposedException.ThrowIf(true, this);
            }

            return channel;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private void OnChannelClosed(ModbusChannel channel, ModbusProtocolException reason)
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
                _backoff.Reset();
                _nextAttempt = 0;
            }
            else if (!channel.ClosedByApplication && ++_deadConnections >= 2)
            {
                // A device that accepts connections but never answers: the first reconnect is immediate (one
                // timeout is common), after that reconnects back off like failed connects.
                DelayNextAttempt();
                backOff = true;
            }
        }

        TransitionTo(backOff ? ConnectionState.BackingOff : ConnectionState.Disconnected);
    }

    /// <summary>Counts a failure and sets when the next connect may be tried; call under the backoff lock.</summary>
    private void DelayNextAttempt()
    {
        var delay = _backoff.NextDelay();
        _nextAttempt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>Moves to a new state unless disposed; false when disposed.</summary>
    private bool TransitionTo(ConnectionState next)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current == (int)ConnectionState.Closed)
            {
                return false;
            }

            if (current == (int)next)
            {
                return true;
            }

            if (Interlocked.CompareExchange(ref _state, (int)next, current) == current)
            {
                StateChanged?.Invoke(this, new ConnectionStateChangedEventArgs((ConnectionState)current, next));
                return true;
            }
        }
    }
}
