using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Channel;

/// <summary>
/// One UA TCP connection carrying one SecureChannel (Part 6 §6.7, §7.1): HEL/ACK, OPN Issue and Renew at 75 % of
/// the token lifetime, MSG chunks with sequence numbers and request ids, CLO. Chunks are protected as the
/// channel's <see cref="ChannelSecurity"/> says (none, signed, or signed and encrypted; see UaSecureChannel.ChunkSecurity.cs).
/// Requests may overlap; a single receive loop reassembles chunked responses and completes them by request id.
/// Anything malformed, an ERR message or a closed socket faults the whole channel: every waiting and later request
/// fails with <see cref="OpcUaProtocolException"/>.
/// </summary>
internal sealed partial class UaSecureChannel : IAsyncDisposable
{
    private static readonly byte[] MessageTypeName = "MSG"u8.ToArray();
    private static readonly byte[] OpenType = "OPN"u8.ToArray();
    private static readonly byte[] CloseType = "CLO"u8.ToArray();
    private static readonly byte[] HelloType = "HEL"u8.ToArray();
    private static readonly TimeSpan RequestedLifetime = TimeSpan.FromMinutes(10);

    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly byte[] _chunkScratch;
    private readonly TimeSpan _requestTimeout;
    private readonly TransportLimits _offered;
    private readonly ConcurrentDictionary<uint, PendingRequest> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly UaWriter _body = new();
    private readonly UaWriter _chunk = new();
    private readonly CancellationTokenSource _stop = new();
    private TransportLimits _limits;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _renewLoop = Task.CompletedTask;
    private uint _channelId;
    private uint _tokenId;
    private uint _sequenceNumber;
    private int _requestId;
    private long _bytesIn;
    private long _bytesOut;
    private volatile OpcUaProtocolException? _fault;
    private readonly TimeProvider _time;

    private UaSecureChannel(Socket socket, TransportLimits limits, TimeSpan requestTimeout, TimeProvider time, ChannelSecurity security)
    {
        _socket = socket;
        _security = security;
        _plainScratch = new byte[limits.ReceiveBufferSize];
        // The pipe's stream does not own the socket: DisposeAsync closes the socket, then completes the pipe.
        _input = PipeReader.Create(new NetworkStream(socket, ownsSocket: false), new StreamPipeReaderOptions(bufferSize: 16384, minimumReadSize: 4096));
        // A chunk spread over several pipe segments is joined here; never larger than the receive buffer offered.
        _chunkScratch = new byte[limits.ReceiveBufferSize];
        _time = time;
        _limits = limits;
        _offered = limits;
        _requestTimeout = requestTimeout;
    }

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>The limits settled by HEL/ACK.</summary>
    public TransportLimits Limits => _limits;

    /// <summary>Why the channel stopped working, or null while it works.</summary>
    public OpcUaProtocolException? Fault => _fault;

    /// <summary>The current token's id (changes when the token is renewed).</summary>
    public uint TokenId => Volatile.Read(ref _tokenId);

    /// <summary>Connects, exchanges HEL/ACK and opens the SecureChannel, all within <paramref name="timeout"/>.</summary>
    public static Task<UaSecureChannel> OpenAsync(
        EndpointAddress address, string endpointUrl, TransportLimits offered, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(address, endpointUrl, offered, timeout, time, ChannelSecurity.None, cancellationToken);

    /// <summary>
    /// Connects, exchanges HEL/ACK and opens the SecureChannel with <paramref name="security"/> (which the channel
    /// then owns and disposes), all within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<UaSecureChannel> OpenAsync(
        EndpointAddress address, string endpointUrl, TransportLimits offered, TimeSpan timeout, TimeProvider time, ChannelSecurity security,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(security);
        using var expiry = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        UaSecureChannel? channel = null;
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, deadline.Token).ConfigureAwait(false);
            // Built once connected: the pipe reads from a stream over the connected socket.
            channel = new UaSecureChannel(socket, offered, timeout, time, security);
            await channel.HelloAsync(endpointUrl, offered, deadline.Token).ConfigureAwait(false);
            channel._receiveLoop = Task.Run(channel.ReceiveLoopAsync, CancellationToken.None);
            var token = await channel.OpenTokenAsync(renew: false, deadline.Token).ConfigureAwait(false);
            channel._renewLoop = Task.Run(() => channel.RenewLoopAsync(token.Lifetime), CancellationToken.None);
            return channel;
        }
        catch (Exception error)
        {
            if (channel is null)
            {
                socket.Dispose();
                if (security != ChannelSecurity.None)
                {
                    security.Dispose();
                }
            }
            else
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }

            if (error is OpcUaProtocolException || cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            if (error is OperationCanceledException)
            {
                throw new OpcUaProtocolException(
                    ProtocolErrorReason.Timeout, $"opening a channel to {address} took longer than {timeout.TotalMilliseconds:0} ms", StatusCodes.BadTimeout, error);
            }

            throw new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"cannot open a channel to {address}: {error.Message}", inner: error);
        }
    }

    /// <summary>Sends one service request and returns the response body (starting with its type id).</summary>
    public Task<byte[]> RequestAsync<TState>(
        string service, RequestEncoder<TState> encode, TState state, CancellationToken cancellationToken) =>
        ExchangeAsync(MessageTypeName, service, encode, state, cancellationToken);

    private Task<byte[]> ExchangeAsync<TState>(
        byte[] typeName, string service, RequestEncoder<TState> encode, TState state, CancellationToken cancellationToken) =>
        ExchangeAsync(typeName, service, encode, state, _requestTimeout, cancellationToken);

    /// <summary>A request the server may hold longer than the usual timeout (Publish waits for data or a keep-alive).</summary>
    public Task<byte[]> RequestAsync<TState>(
        string service, RequestEncoder<TState> encode, TState state, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExchangeAsync(MessageTypeName, service, encode, state, timeout, cancellationToken);

    private async Task<byte[]> ExchangeAsync<TState>(
        byte[] typeName, string service, RequestEncoder<TState> encode, TState state, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfFaulted();
        var requestId = unchecked((uint)Interlocked.Increment(ref _requestId));
        var pending = new PendingRequest(service);
        _pending[requestId] = pending;
        try
        {
            await SendAsync(typeName, requestId, encode, state, cancellationToken).ConfigureAwait(false);
            return await pending.Response.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new OpcUaProtocolException(
                ProtocolErrorReason.Timeout, $"{service}: no response within {timeout.TotalMilliseconds:0} ms", StatusCodes.BadTimeout);
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        if (_fault is null && _socket.Connected && _channelId != 0)
        {
            // CLO has no response (Part 4 §5.5.3): send it best-effort, then close the socket.
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
                var requestId = unchecked((uint)Interlocked.Increment(ref _requestId));
                await SendAsync(CloseType, requestId, static (w, h, _) => SecureChannelMessages.WriteCloseRequest(w, h), 0, timeout.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception error) when (error is OpcUaProtocolException or OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // The server may already be gone; closing the socket is all that is left to do.
            }
        }

        FaultWith(new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, "the channel was closed"));
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await Task.WhenAll(_receiveLoop, _renewLoop).ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
        _stop.Dispose();
        _sendLock.Dispose();
        DisposeKeys();
    }

    private void ThrowIfFaulted()
    {
        if (_fault is { } fault)
        {
            throw new OpcUaProtocolException(fault.Reason is ProtocolErrorReason.MalformedFrame ? ProtocolErrorReason.MalformedFrame : ProtocolErrorReason.ConnectionClosed,
                $"channel is down: {fault.Message}", fault.StatusCode, fault);
        }
    }

    /// <summary>Fails the channel once: records why, fails every waiting request and closes the socket.</summary>
    private void FaultWith(OpcUaProtocolException error)
    {
        if (Interlocked.CompareExchange(ref _fault, error, null) is not null)
        {
            return;
        }

        foreach (var pending in _pending)
        {
            pending.Value.Fail(error);
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception shutdownError) when (shutdownError is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private async Task SendAsync<TState>(byte[] typeName, uint requestId, RequestEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFaulted();
            _body.Reset();
            encode(_body, requestId, state);
            var body = _body.WrittenMemory;
            if (_limits.MaxMessageSize > 0 && body.Length > _limits.MaxMessageSize)
            {
                throw new OpcUaProtocolException(ProtocolErrorReason.LimitExceeded, $"request of {body.Length} bytes exceeds the server's {_limits.MaxMessageSize}-byte limit");
            }

            var open = ReferenceEquals(typeName, OpenType);
            var keys = _sendKeys;
            var maxBody = open ? _limits.SendBufferSize : _security.MaxSymmetricBody(_limits.SendBufferSize, keys?.SignatureSize ?? 0);
            var chunks = Math.Max(1, (body.Length + maxBody - 1) / maxBody);
            if (_limits.MaxChunkCount > 0 && chunks > _limits.MaxChunkCount)
            {
                throw new OpcUaProtocolException(ProtocolErrorReason.LimitExceeded, $"request needs {chunks} chunks, the server accepts {_limits.MaxChunkCount}");
            }

            for (var offset = 0; offset < body.Length || offset == 0; offset += maxBody)
            {
                var piece = body.Span.Slice(offset, Math.Min(maxBody, body.Length - offset));
                var final = offset + piece.Length >= body.Length;
                var kind = final ? ChunkKind.Final : ChunkKind.Intermediate;
                _chunk.Reset();
                _chunk.Reserve(ChunkHeader.Length);
                _chunk.WriteUInt32(_channelId);
                if (open)
                {
                    // OPN is one chunk, protected with the certificates (Part 6 §6.7.4); its body is small.
                    _security.WriteAsymmetricHeader(_chunk);
                    var securityHeaderEnd = _chunk.Position;
                    _chunk.WriteUInt32(NextSequenceNumber());
                    _chunk.WriteUInt32(requestId);
                    _chunk.WriteBytes(body.Span);
                    _security.ProtectAsymmetric(_chunk, securityHeaderEnd, typeName, ChunkKind.Final);
                    if (_chunk.Position > _limits.SendBufferSize)
                    {
                        throw new OpcUaProtocolException(
                            ProtocolErrorReason.LimitExceeded, $"the OPN request of {_chunk.Position} bytes exceeds the {_limits.SendBufferSize}-byte send buffer");
                    }

                    await WriteChunkAsync(typeName, ChunkKind.Final, cancellationToken).ConfigureAwait(false);
                    break;
                }

                _chunk.WriteUInt32(_tokenId);
                _chunk.WriteUInt32(NextSequenceNumber());
                _chunk.WriteUInt32(requestId);
                _chunk.WriteBytes(piece);
                _security.ProtectSymmetric(keys, _chunk, typeName, kind);
                await WriteChunkAsync(typeName, kind, cancellationToken).ConfigureAwait(false);
                if (final)
                {
                    break;
                }
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Fills in the header of the chunk in <see cref="_chunk"/> and writes it to the socket.</summary>
    private async ValueTask WriteChunkAsync(byte[] typeName, ChunkKind kind, CancellationToken cancellationToken)
    {
        var size = _chunk.Position;
        var memory = _chunk.WrittenMemory;
        ChunkHeader.Write(_chunk.At(0, ChunkHeader.Length), typeName, kind, size);
        try
        {
            await _socket.SendAsync(memory, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            var fault = new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"send failed: {error.Message}", inner: error);
            FaultWith(fault);
            throw fault;
        }

        Interlocked.Add(ref _bytesOut, size);
    }

    private uint NextSequenceNumber()
    {
        // Legacy policies wrap just below UInt32.MaxValue - 1024 to a value under 1024 (Part 6 §6.7.2.4).
        _sequenceNumber = _sequenceNumber >= uint.MaxValue - 1024 ? 1 : _sequenceNumber + 1;
        return _sequenceNumber;
    }
}
