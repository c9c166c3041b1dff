using System.Buffers;
using System.Net.Sockets;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Framing;

namespace EdgePartition.OpcUa.Channel;

/// <summary>The receiving half: HEL/ACK, then one loop that reads chunks and hands complete responses to their requests.</summary>
internal sealed partial class UaSecureChannel
{
    private readonly Dictionary<uint, MessageAssembler> _assemblers = [];

    /// <summary>Called for each whole chunk (header included) while the pipe holds it; false stops reading.</summary>
    private delegate bool ChunkHandler(UaSecureChannel channel, ChunkHeader header, ReadOnlySpan<byte> chunk);

    private async Task HelloAsync(string endpointUrl, TransportLimits offered, CancellationToken cancellationToken)
    {
        _chunk.Reset();
        _chunk.Reserve(ChunkHeader.Length);
        TransportLimits.WriteHello(_chunk, offered, endpointUrl);
        await WriteChunkAsync(HelloType, ChunkKind.Final, cancellationToken).ConfigureAwait(false);
        await ReadChunksAsync(static (channel, header, chunk) => channel.OnHelloReply(header, chunk[ChunkHeader.Length..]), cancellationToken)
            .ConfigureAwait(false);
    }

    private bool OnHelloReply(ChunkHeader header, ReadOnlySpan<byte> body)
    {
        switch (header.Type)
        {
            case MessageType.Acknowledge:
                _limits = TransportLimits.ReadAcknowledge(body, _offered, out _);
                return false;
            case MessageType.Error:
                throw ErrorMessage(body, "the server refused the connection");
            default:
                throw OpcUaProtocolException.Malformed($"expected ACK or ERR after HEL, got {header.Type}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            await ReadChunksAsync(static (channel, header, chunk) =>
            {
                channel.HandleChunk(header, chunk);
                return true;
            }, _stop.Token).ConfigureAwait(false);
        }
        catch (OpcUaProtocolException error)
        {
            FaultWith(error);
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            FaultWith(new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"connection lost: {error.Message}", inner: error));
        }
    }

    /// <summary>
    /// Reads chunks from the pipe and hands each to <paramref name="handle"/> until it returns false. Each chunk's
    /// size is checked against the receive buffer (the negotiated one once ACK arrived) from its header, before its
    /// body is waited for; a stream that ends, cleanly or inside a chunk, is <see cref="ProtocolErrorReason.ConnectionClosed"/>.
    /// </summary>
    private async Task ReadChunksAsync(ChunkHandler handle, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            bool more;
            long remaining;
            try
            {
                more = HandleChunks(buffer, handle, ref consumed, out remaining);
                if (!more)
                {
                    // The caller stops here and will read again: bytes after this chunk must not count as examined.
                    examined = consumed;
                }
            }
            finally
            {
                _input.AdvanceTo(consumed, examined);
            }

            if (!more)
            {
                return;
            }

            if (result.IsCompleted)
            {
                throw new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, remaining > 0
                    ? $"the server closed the connection in the middle of a chunk ({remaining} bytes received)"
                    : "the server closed the connection");
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    /// <summary>Hands every whole chunk in <paramref name="buffer"/> to the handler; moves <paramref name="consumed"/> past each.</summary>
    private bool HandleChunks(in ReadOnlySequence<byte> buffer, ChunkHandler handle, ref SequencePosition consumed, out long remaining)
    {
        var reader = new SequenceReader<byte>(buffer);
        var more = true;
        while (more && ChunkFrameReader.TryRead(ref reader, _limits.ReceiveBufferSize, out var header, out var chunk))
        {
            consumed = reader.Position;
            Interlocked.Add(ref _bytesIn, header.Size);
            more = handle(this, header, Contiguous(chunk));
        }

        remaining = reader.Remaining;
        return more;
    }

    /// <summary>The chunk as one span: the pipe's own memory when it sits in one segment, else copied to the scratch buffer.</summary>
    private ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> chunk)
    {
        if (chunk.IsSingleSegment)
        {
            return chunk.FirstSpan;
        }

        var scratch = _chunkScratch.AsSpan(0, (int)chunk.Length);
        chunk.CopyTo(scratch);
        return scratch;
    }

    /// <summary>
    /// Routes one chunk (header included): ERR faults the channel, 'A' fails one request, 'C'/'F' build up a response.
    /// </summary>
    private void HandleChunk(ChunkHeader header, ReadOnlySpan<byte> chunk)
    {
        var body = chunk[ChunkHeader.Length..];
        if (header.Type == MessageType.Error)
        {
            throw SecuredError(chunk) ?? ErrorMessage(body, "the server closed the channel");
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

        uint tokenId = 0;
        if (header.Type == MessageType.OpenChannel)
        {
            var policy = reader.ReadString();
            var sender = reader.ReadByteStringSpan(out _);
            var receiver = reader.ReadByteStringSpan(out _);
            _security.CheckAsymmetricHeader(policy, sender, receiver);
        }
        else
        {
            tokenId = reader.ReadUInt32();
        }

        // Everything after the security header is what the sender protected: undone here, before it is read or assembled.
        var plain = Unprotect(header, chunk, ChunkHeader.Length + reader.Position, tokenId);
        var sequence = new UaReader(plain);
        sequence.ReadUInt32();
        var requestId = sequence.ReadUInt32();
        var payload = plain[sequence.Position..];
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
                if (header.Type == MessageType.OpenChannel)
                {
                    ApplyOpenResponse(payload);
                }

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
            var message = assembler.ToArray();
            if (header.Type == MessageType.OpenChannel)
            {
                ApplyOpenResponse(message);
            }

            pending.Complete(message);
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
