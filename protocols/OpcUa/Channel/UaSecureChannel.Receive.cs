using System.Net.Sockets;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Services;

namespace EdgePartition.OpcUa.Channel;

/// <summary>The receiving half: HEL/ACK, then one loop that reads chunks and hands complete responses to their requests.</summary>
internal sealed partial class UaSecureChannel
{
    private readonly Dictionary<uint, MessageAssembler> _assemblers = [];

    private async Task HelloAsync(string endpointUrl, TransportLimits offered, CancellationToken cancellationToken)
    {
        _chunk.Reset();
        _chunk.Reserve(ChunkHeader.Length);
        TransportLimits.WriteHello(_chunk, offered, endpointUrl);
        await WriteChunkAsync(HelloType, ChunkKind.Final, cancellationToken).ConfigureAwait(false);

        using var stream = new NetworkStream(_socket, ownsSocket: false);
        var buffer = new byte[offered.ReceiveBufferSize];
        var header = await ReadChunkAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
        var body = buffer.AsSpan(ChunkHeader.Length, header.Size - ChunkHeader.Length);
        switch (header.Type)
        {
            case MessageType.Acknowledge:
                _limits = TransportLimits.ReadAcknowledge(body, offered, out _);
                break;
            case MessageType.Error:
                throw ErrorMessage(body, "the server refused the connection");
            default:
                throw OpcUaProtocolException.Malformed($"expected ACK or ERR after HEL, got {header.Type}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[_offered.ReceiveBufferSize];
        try
        {
            using var stream = new NetworkStream(_socket, ownsSocket: false);
            while (!_stop.IsCancellationRequested)
            {
                var header = await ReadChunkAsync(stream, buffer, _stop.Token).ConfigureAwait(false);
                HandleChunk(header, buffer.AsSpan(ChunkHeader.Length, header.Size - ChunkHeader.Length));
            }
        }
        catch (OpcUaProtocolException error)
        {
            FaultWith(error);
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException)
        {
            FaultWith(new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"connection lost: {error.Message}", inner: error));
        }
    }

    /// <summary>Reads one chunk (header validated against the receive buffer size) into the start of <paramref name="buffer"/>.</summary>
    private async Task<ChunkHeader> ReadChunkAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        await stream.ReadExactlyAsync(buffer.AsMemory(0, ChunkHeader.Length), cancellationToken).ConfigureAwait(false);
        var header = ChunkHeader.Parse(buffer, buffer.Length);
        await stream.ReadExactlyAsync(buffer.AsMemory(ChunkHeader.Length, header.Size - ChunkHeader.Length), cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesIn, header.Size);
        return header;
    }

    /// <summary>Routes one chunk: ERR faults the channel, 'A' fails one request, 'C'/'F' build up a response.</summary>
    private void HandleChunk(ChunkHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Type == MessageType.Error)
        {
            throw ErrorMessage(body, "the server closed the channel");
        }

        if (header.Type is not (MessageType.Message or MessageType.OpenChannel or MessageType.CloseChannel))
        {
            throw OpcUaProtocolException.Malformed($"unexpected {header.Type} message on an open channel");
        }

        var reader = new UaReader(body);
        var channelId = reader.ReadUInt32();
        if (_channelId != 0 && channelId != _channelId)
        {
            throw OpcUaProtocolException.Malformed($"chunk for channel {channelId}, this channel is {_channelId}");
        }

        if (header.Type == MessageType.OpenChannel)
        {
            SecureChannelMessages.ReadAsymmetricHeader(ref reader);
        }
        else
        {
            reader.ReadUInt32();
        }

        reader.ReadUInt32();
        var requestId = reader.ReadUInt32();
        var payload = body[reader.Position..];
        if (!_pending.TryGetValue(requestId, out var pending))
        {
            // A response to a request that timed out: drop it (and whatever was assembled for it).
            _assemblers.Remove(requestId);
            return;
        }

        if (header.Kind == ChunkKind.Abort)
        {
            _assemblers.Remove(requestId);
            pending.Fail(ErrorMessage(payload, $"{pending.Service} was aborted by the server", ProtocolErrorReason.PeerRejected));
            return;
        }

        if (!_assemblers.TryGetValue(requestId, out var assembler))
        {
            if (header.Kind == ChunkKind.Final)
            {
                pending.Complete(payload.ToArray());
                return;
            }

            assembler = new MessageAssembler(_offered.MaxMessageSize, _offered.MaxChunkCount);
            _assemblers[requestId] = assembler;
        }

        assembler.Append(payload);
        if (header.Kind == ChunkKind.Final)
        {
            _assemblers.Remove(requestId);
            pending.Complete(assembler.ToArray());
        }
    }

    /// <summary>Decodes an ERR or abort body (Error StatusCode + Reason String) into an exception.</summary>
    private static OpcUaProtocolException ErrorMessage(ReadOnlySpan<byte> body, string context, ProtocolErrorReason reason = ProtocolErrorReason.ConnectionClosed)
    {
        var reader = new UaReader(body);
        var code = reader.ReadUInt32();
        var text = reader.ReadString();
        return new OpcUaProtocolException(reason, $"{context}: {Types.StatusCodes.Describe(code)} {text}".TrimEnd(), code);
    }
}
