using System.Buffers;

namespace EdgePartition.Consumers.Feed;

/// <summary>
/// The websocket frame a client's send loop assembles from pending messages: one message is sent as itself,
/// several as a JSON array. The buffer is pooled and reused for the life of the connection.
/// </summary>
public sealed class FeedFrame : IDisposable
{
    private byte[] _buffer;
    private int _length = 1;
    private int _count;

    public FeedFrame(int initialCapacity = 16 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _buffer[0] = (byte)'[';
    }

    /// <summary>Bytes appended so far (what the frame would weigh without the closing bracket).</summary>
    public int Length => _length;

    public int Count => _count;

    public void Append(ReadOnlySpan<byte> message)
    {
        var needed = _length + message.Length + 2;
        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        if (_count > 0)
        {
            _buffer[_length++] = (byte)',';
        }

        message.CopyTo(_buffer.AsSpan(_length));
        _length += message.Length;
        _count++;
    }

    /// <summary>The frame to send: the single message, or "[m1,m2,...]".</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        if (_count == 1)
        {
            return _buffer.AsMemory(1, _length - 1);
        }

        _buffer[_length] = (byte)']';
        return _buffer.AsMemory(0, _length + 1);
    }

    public void Reset()
    {
        _length = 1;
        _count = 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
