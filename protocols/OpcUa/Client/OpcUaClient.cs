using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client;

/// <summary>
/// An OPC UA client for SecurityPolicy None with anonymous login: one SecureChannel at a time carrying one session
/// that outlives the channel. A connect after a lost connection re-activates the session on a new channel (Part 4
/// §6.7) and only creates a new one when the server forgot it; <see cref="DisconnectAsync"/> is the explicit end.
/// Not thread-safe for connect/disconnect; service calls may overlap on a connected client. Every failure is an
/// <see cref="OpcUaProtocolException"/>.
/// </summary>
public sealed partial class OpcUaClient : IAsyncDisposable
{
    private readonly OpcUaClientOptions _options;
    private readonly EndpointAddress _address;
    private readonly List<ISessionObserver> _observers = [];
    private UaSecureChannel? _channel;
    private SessionHandle? _session;
    private NamespaceTable _namespaces = NamespaceTable.Default;
    private OperationLimits _limits = OperationLimits.Unlimited;
    private long _closedBytesIn;
    private long _closedBytesOut;
    private int _state;

    // 1 while there is no usable connection (before the first connect, after a loss): OnConnectionLost runs once per loss.
    private int _lost = 1;

    public OpcUaClient(OpcUaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _address = EndpointAddress.Parse(options.EndpointUrl);
        if (options.MaxNodesPerRead < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxNodesPerRead must be at least 1");
        }
    }

    /// <summary>host:port actually dialed.</summary>
    public EndpointAddress Address => _address;

    public bool IsConnected => _channel is { Fault: null } && Volatile.Read(ref _lost) == 0;

    /// <summary>The logical connection's state; a broken channel shows as Faulted once a request or the keep-alive finds it broken.</summary>
    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>Raised on every state change, on the thread that caused it; keep handlers short.</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>The current SecureChannel token id (changes on renewal; 0 when not connected), for diagnostics.</summary>
    public uint ChannelTokenId => _channel?.TokenId ?? 0;

    public long BytesIn => _closedBytesIn + (_channel?.BytesIn ?? 0);

    public long BytesOut => _closedBytesOut + (_channel?.BytesOut ?? 0);

    /// <summary>The session timeout the server granted (zero before the first session); the keep-alive runs well inside it.</summary>
    public TimeSpan RevisedSessionTimeout => _session?.Timeout ?? TimeSpan.Zero;

    /// <summary>The server's namespace array, read at the start of every session and after every reconnect.</summary>
    public NamespaceTable Namespaces => _namespaces;

    /// <summary>The server's per-call limits, read once per session (0 = unlimited).</summary>
    public OperationLimits OperationLimits => _limits;

    /// <summary>What the last successful connect did with the session (Created, Reactivated or Replaced).</summary>
    public SessionRecovery LastRecovery { get; private set; }

    /// <summary>How many connects re-activated or replaced a session after a loss.</summary>
    public int Reconnects { get; private set; }

    /// <summary>
    /// Connects (does nothing when already connected). After a lost connection the previous session, unless closed
    /// by <see cref="DisconnectAsync"/>, is re-activated on a new channel; if the server no longer has it a new
    /// session replaces it. One attempt: the caller retries with its backoff.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (IsConnected)
        {
            return;
        }

        await DropChannelAsync().ConfigureAwait(false);
        SetState(ConnectionState.Connecting);
        using var expiry = new CancellationTokenSource(_options.ConnectTimeout, _options.TimeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        UaSecureChannel channel;
        SessionSecurity security;
        try
        {
            // Issue 14: endpoint choice and server certificate validation, then a channel with that security.
            security = await PrepareSecurityAsync(deadline.Token).ConfigureAwait(false);
            channel = await UaSecureChannel.OpenAsync(
                _address, _options.EndpointUrl, _options.TransportLimits, _options.ConnectTimeout, _options.TimeProvider, CreateChannelSecurity(security),
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            SetState(ConnectionState.Disconnected);
            throw;
        }

        try
        {
            var recovery = await OpenSessionAsync(channel, security, deadline.Token).ConfigureAwait(false);
            await ReadSessionFactsAsync(channel, recovery, deadline.Token).ConfigureAwait(false);
            _channel = channel;
            MarkActivity();
            Volatile.Write(ref _lost, 0);
            foreach (var observer in _observers)
            {
                await observer.OnSessionReadyAsync(recovery, deadline.Token).ConfigureAwait(false);
            }

            StartKeepAlive(channel);
            LastRecovery = recovery;
            Reconnects += recovery == SessionRecovery.Created ? 0 : 1;
            SetState(ConnectionState.Connected);
        }
        catch (Exception error)
        {
            Volatile.Write(ref _lost, 1);
            _channel = null;
            await CloseChannelAsync(channel).ConfigureAwait(false);
            SetState(ConnectionState.Disconnected);
            if (error is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new OpcUaProtocolException(
                    ProtocolErrorReason.Timeout, $"session setup with {_address} took longer than {_options.ConnectTimeout}", StatusCodes.BadTimeout, error);
            }

            throw;
        }
    }

    /// <summary>The explicit end: closes the session (its subscriptions too) and the channel; never throws.</summary>
    public async Task DisconnectAsync()
    {
        var channel = _channel;
        var session = _session;
        _channel = null;
        _session = null;
        await StopKeepAliveAsync().ConfigureAwait(false);
        NotifyLost();
        if (channel is null)
        {
            SetState(ConnectionState.Disconnected);
            return;
        }

        SetState(ConnectionState.Disconnected);
        if (channel.Fault is null && session is not null)
        {
            await CloseSessionAsync(channel, session.AuthenticationToken).ConfigureAwait(false);
        }

        await CloseChannelAsync(channel).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        SetState(ConnectionState.Closed);
    }

    /// <summary>The session's authentication token, sent in every request header.</summary>
    internal NodeId AuthenticationToken => _session?.AuthenticationToken ?? NodeId.Null;

    /// <summary>Follows the session across reconnects (subscriptions); called in the order attached.</summary>
    internal void Attach(ISessionObserver observer) => _observers.Add(observer);

    /// <summary>
    /// Sends one service request on the connected channel; the seam every client service goes through. A broken
    /// channel or a session the server no longer knows marks the connection lost (the next connect recovers).
    /// </summary>
    internal async Task<byte[]> SendAsync<TState>(string service, RequestEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        var channel = Connected();
        try
        {
            var body = await channel.RequestAsync(service, encode, state, cancellationToken).ConfigureAwait(false);
            MarkActivity();
            return body;
        }
        catch (OpcUaProtocolException error) when (ObserveFailure(error))
        {
            throw;
        }
    }

    /// <summary>
    /// Looks at a failed request (use as an exception filter around decoding a response from <c>SendAsync</c>;
    /// always false): BadSessionIdInvalid / BadSessionClosed / BadSessionNotActivated or a broken channel mark the
    /// connection lost so the next <see cref="ConnectAsync"/> recovers.
    /// </summary>
    internal bool ObserveFailure(OpcUaProtocolException error)
    {
        var channel = _channel;
        if (channel is null)
        {
            return false;
        }

        if (IsSessionGone(error.StatusCode))
        {
            _session = _session is null ? null : _session with { Gone = true };
            MarkLost(channel, error, abort: false);
        }
        else if (channel.Fault is not null)
        {
            MarkLost(channel, error, abort: false);
        }

        return false;
    }

    private static bool IsSessionGone(uint status) =>
        status is StatusCodes.BadSessionIdInvalid or StatusCodes.BadSessionClosed or StatusCodes.BadSessionNotActivated;

    private void SetState(ConnectionState next)
    {
        var previous = (ConnectionState)Interlocked.Exchange(ref _state, (int)next);
        if (previous != next)
        {
            StateChanged?.Invoke(this, new ConnectionStateChangedEventArgs(previous, next));
        }
    }

    private UaSecureChannel Connected()
    {
        var channel = _channel ?? throw new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"not connected to {_address}");
        if (channel.Fault is { } fault)
        {
            MarkLost(channel, fault, abort: false);
            throw new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"connection to {_address} is down: {fault.Message}", fault.StatusCode, fault);
        }

        if (Volatile.Read(ref _lost) != 0)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"the session with {_address} was lost; connect again");
        }

        return channel;
    }

    /// <summary>The connection on <paramref name="channel"/> is no longer usable; ignored for a channel already replaced.</summary>
    private void MarkLost(UaSecureChannel channel, OpcUaProtocolException reason, bool abort)
    {
        if (!ReferenceEquals(channel, _channel))
        {
            return;
        }

        if (abort)
        {
            channel.Abort(reason);
        }

        SetState(ConnectionState.Faulted);
        NotifyLost();
    }

    private void NotifyLost()
    {
        if (Interlocked.Exchange(ref _lost, 1) != 0)
        {
            return;
        }

        foreach (var observer in _observers)
        {
            observer.OnConnectionLost();
        }
    }

    /// <summary>Before a reconnect: lets go of the broken channel without closing the session it carried.</summary>
    /// <summary>
    /// Drops the channel after a link failure but keeps the session, so the next <see cref="ConnectAsync"/> re-activates
    /// it with its subscriptions (Part 4 §6.7) instead of starting over; never throws. <see cref="DisconnectAsync"/> is
    /// the explicit end.
    /// </summary>
    public async Task DropConnectionAsync()
    {
        await DropChannelAsync().ConfigureAwait(false);
        SetState(ConnectionState.Disconnected);
    }

    private async Task DropChannelAsync()
    {
        var channel = _channel;
        _channel = null;
        await StopKeepAliveAsync().ConfigureAwait(false);
        NotifyLost();
        if (channel is not null)
        {
            await CloseChannelAsync(channel).ConfigureAwait(false);
        }
    }

    private async Task CloseChannelAsync(UaSecureChannel channel)
    {
        _closedBytesIn += channel.BytesIn;
        _closedBytesOut += channel.BytesOut;
        await channel.DisposeAsync().ConfigureAwait(false);
    }
}
