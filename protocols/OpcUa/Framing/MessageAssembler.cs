namespace EdgePartition.OpcUa.Framing;

/// <summary>
/// Joins the chunk bodies of one response (same request id) into one message, refusing to grow beyond the
/// message-size and chunk-count caps so a peer cannot make the client buffer without bound.
/// </summary>
internal sealed class MessageAssembler
{
    private readonly int _maxMessageSize;
    private readonly int _maxChunkCount;
    private byte[] _buffer = [];
    private int _length;
    private int _chunks;

    public MessageAssembler(int maxMessageSize, int maxChunkCount)
    {
        _maxMessageSize = maxMessageSize;
        _maxChunkCount = maxChunkCount;
    }

    public int Length => _length;

    public void Append(ReadOnlySpan<byte> body)
    {
        _chunks++;
        if (_maxChunkCount > 0 && _chunks > _maxChunkCount)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.LimitExceeded, $"response has more than {_maxChunkCount} chunks");
        }

        if (_length + (long)body.Length > _maxMessageSize)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.LimitExceeded, $"response exceeds the {_maxMessageSize}-byte message limit");
        }

        if (_length + body.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + body.Length, _buffer.Length * 2));
        }

        body.CopyTo(_buffer.AsSpan(_length));
        _length += body.Length;
    }

    /// <summary>The assembled message (a fresh array owned by the caller).</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();
}
