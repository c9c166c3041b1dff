using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client;

/// <summary>
/// An OPC UA client for SecurityPolicy None with anonymous login: one SecureChannel, one session, Read/Write of
/// the Value attribute and browse-path translation. Not thread-safe for connect/disconnect; reads and writes may
/// overlap on a connected client. Every failure is an <see cref="OpcUaProtocolException"/>.
/// </summary>
public sealed partial class OpcUaClient : IAsyncDisposable
{
    private readonly OpcUaClientOptions _options;
    private readonly EndpointAddress _address;
    private UaSecureChannel? _channel;
    private NodeId _authenticationToken = NodeId.Null;
    private readonly List<ISessionObserver> _observers = [];
    private long _closedBytesIn;
    private long _closedBytesOut;
    private int _state;

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

    public bool IsConnected => _channel is { Fault: null };

    /// <summary>The logical connection's state; a broken channel shows as Faulted once a request finds it broken.</summary>
    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>Raised on every state change, on the thread that caused it; keep handlers short.</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>The current SecureChannel token id (changes on renewal; 0 when not connected), for diagnostics.</summary>
    public uint ChannelTokenId => _channel?.TokenId ?? 0;

    public long BytesIn => _closedBytesIn + (_channel?.BytesIn ?? 0);

    public long BytesOut => _closedBytesOut + (_channel?.BytesOut ?? 0);

    /// <summary>Opens the channel and an activated anonymous session (does nothing when already connected).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (IsConnected)
        {
            return;
        }

        await DisconnectAsync().ConfigureAwait(false);
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
            // Issue 14: CreateSession with our certificate and nonce, ActivateSession with our signature and the user token.
            var created = await CreateSessionAsync(channel, security, deadline.Token).ConfigureAwait(false);
            await ActivateSessionAsync(channel, security, created, deadline.Token).ConfigureAwait(false);
            _authenticationToken = created.AuthenticationToken;
            _channel = channel;
            foreach (var observer in _observers)
            {
                await observer.OnSessionReadyAsync(SessionRecovery.Created, deadline.Token).ConfigureAwait(false);
            }

            SetState(ConnectionState.Connected);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            SetState(ConnectionState.Disconnected);
            throw new OpcUaProtocolException(ProtocolErrorReason.Timeout, $"session setup with {_address} took longer than {_options.ConnectTimeout}");
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            SetState(ConnectionState.Disconnected);
            throw;
        }
    }

    /// <summary>
    /// Reads the Value attribute of <paramref name="nodes"/> into <paramref name="results"/> (same length), in
    /// requests of at most MaxNodesPerRead nodes. A bad node gets its bad status in its DataValue, not an exception.
    /// </summary>
    public async Task ReadAsync(IReadOnlyList<NodeId> nodes, DataValue[] results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Length != nodes.Count)
        {
            throw new ArgumentException("results must have one slot per node", nameof(results));
        }

        var channel = Connected();
        for (var offset = 0; offset < nodes.Count; offset += _options.MaxNodesPerRead)
        {
            var count = Math.Min(_options.MaxNodesPerRead, nodes.Count - offset);
            var request = new AttributeMessages.ReadRequest(_authenticationToken, nodes, offset, count, _options.RequestTimeout);
            var body = await channel.RequestAsync("Read", AttributeMessages.WriteRead, request, cancellationToken).ConfigureAwait(false);
            AttributeMessages.ReadRead(body, results.AsSpan(offset, count));
        }
    }

    /// <summary>Writes values (with the exact built-in type the server expects); returns one status per node.</summary>
    public Task<uint[]> WriteAsync(IReadOnlyList<NodeId> nodes, IReadOnlyList<DataValue> values, CancellationToken cancellationToken) =>
        WriteAsync(nodes, values, null, cancellationToken);

    /// <summary>
    /// Writes values; <paramref name="indexRanges"/> (one per node, null entries for whole values) writes part of an
    /// array, e.g. "2" or "2:4" (Part 4 §7.22).
    /// </summary>
    public async Task<uint[]> WriteAsync(
        IReadOnlyList<NodeId> nodes, IReadOnlyList<DataValue> values, IReadOnlyList<string?>? indexRanges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != nodes.Count || (indexRanges is not null && indexRanges.Count != nodes.Count))
        {
            throw new ArgumentException("values and index ranges must have one entry per node", nameof(values));
        }

        var request = new AttributeMessages.WriteRequest(_authenticationToken, nodes, values, indexRanges, _options.RequestTimeout);
        var body = await Connected().RequestAsync("Write", AttributeMessages.WriteWrite, request, cancellationToken).ConfigureAwait(false);
        var results = new uint[nodes.Count];
        AttributeMessages.ReadWrite(body, results);
        return results;
    }

    /// <summary>Resolves browse paths from the Objects folder (each step a namespace-qualified browse name).</summary>
    public async Task<(uint Status, NodeId? Target)[]> TranslateBrowsePathsAsync(
        IReadOnlyList<IReadOnlyList<QualifiedName>> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var request = new BrowsePathMessages.TranslateRequest(_authenticationToken, paths, _options.RequestTimeout);
        var body = await Connected().RequestAsync("TranslateBrowsePathsToNodeIds", BrowsePathMessages.WriteTranslate, request, cancellationToken)
            .ConfigureAwait(false);
        var results = new (uint, NodeId?)[paths.Count];
        BrowsePathMessages.ReadTranslate(body, results);
        return results;
    }

    /// <summary>Closes the session (best effort) and the channel; never throws.</summary>
    public async Task DisconnectAsync()
    {
        var channel = _channel;
        _channel = null;
        if (channel is null)
        {
            return;
        }

        SetState(ConnectionState.Disconnected);

        if (channel.Fault is null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _options.TimeProvider);
                SessionMessages.ReadClose(await channel.RequestAsync(
                    "CloseSession", SessionMessages.WriteClose, (_authenticationToken, _options.RequestTimeout), timeout.Token).ConfigureAwait(false));
            }
            catch (Exception error) when (error is OpcUaProtocolException or OperationCanceledException)
            {
                // The session dies with its timeout on the server if this does not get through.
            }
        }

        _closedBytesIn += channel.BytesIn;
        _closedBytesOut += channel.BytesOut;
        await channel.DisposeAsync().ConfigureAwait(false);
        _authenticationToken = NodeId.Null;
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        SetState(ConnectionState.Closed);
    }

    /// <summary>The session's authentication token, sent in every request header.</summary>
    internal NodeId AuthenticationToken => _authenticationToken;

    /// <summary>Follows the session across reconnects (subscriptions); called in the order attached.</summary>
    internal void Attach(ISessionObserver observer) => _observers.Add(observer);

    /// <summary>Sends one service request on the connected channel; the seam every client service goes through.</summary>
    internal Task<byte[]> SendAsync<TState>(string service, RequestEncoder<TState> encode, TState state, CancellationToken cancellationToken) =>
        Connected().RequestAsync(service, encode, state, cancellationToken);

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
            SetState(ConnectionState.Faulted);
            throw new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"connection to {_address} is down: {fault.Message}", fault.StatusCode, fault);
        }

        return channel;
    }
}
