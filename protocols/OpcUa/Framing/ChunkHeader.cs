using System.Buffers.Binary;

namespace EdgePartition.OpcUa.Framing;

/// <summary>
/// The 8-byte header every UA TCP message starts with: type, chunk kind and the size of the whole chunk
/// (Part 6 §7.1.2.2). Parsing validates all three so the reader can trust the size before reading the body.
/// </summary>
internal readonly record struct ChunkHeader(MessageType Type, ChunkKind Kind, int Size)
{
    public const int Length = 8;

    /// <summary>Smallest legal chunk: the header plus a SecureChannelId (ACK/ERR are larger still).</summary>
    public const int MinimumSize = 12;

    public static ChunkHeader Parse(ReadOnlySpan<byte> header, int maxChunkSize)
    {
        var type = TypeOf(header[0], header[1], header[2]);
        var kind = (ChunkKind)header[3];
        if (kind is not (ChunkKind.Intermediate or ChunkKind.Final or ChunkKind.Abort))
        {
            throw OpcUaProtocolException.Malformed($"unknown chunk type byte 0x{header[3]:X2}");
        }

        if (kind != ChunkKind.Final && type is not (MessageType.Message or MessageType.OpenChannel or MessageType.CloseChannel))
        {
            throw OpcUaProtocolException.Malformed($"{type} must be a single final chunk");
        }

        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..8]);
        if (size < MinimumSize || size > (uint)maxChunkSize)
        {
            throw new OpcUaProtocolException(
                size < MinimumSize ? ProtocolErrorReason.MalformedFrame : ProtocolErrorReason.LimitExceeded,
                $"chunk size {size} is outside {MinimumSize}..{maxChunkSize}");
        }

        return new ChunkHeader(type, kind, (int)size);
    }

    public static void Write(Span<byte> destination, ReadOnlySpan<byte> typeName, ChunkKind kind, int size)
    {
        typeName.CopyTo(destination);
        destination[3] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..8], size);
    }

    private static MessageType TypeOf(byte a, byte b, byte c) => (a, b, c) switch
    {
        ((byte)'M', (byte)'S', (byte)'G') => MessageType.Message,
        ((byte)'O', (byte)'P', (byte)'N') => MessageType.OpenChannel,
        ((byte)'C', (byte)'L', (byte)'O') => MessageType.CloseChannel,
        ((byte)'A', (byte)'C', (byte)'K') => MessageType.Acknowledge,
        ((byte)'E', (byte)'R', (byte)'R') => MessageType.Error,
        ((byte)'H', (byte)'E', (byte)'L') => MessageType.Hello,
        ((byte)'R', (byte)'H', (byte)'E') => MessageType.ReverseHello,
        _ => throw OpcUaProtocolException.Malformed($"unknown message type bytes {a:X2} {b:X2} {c:X2}"),
    };
}
