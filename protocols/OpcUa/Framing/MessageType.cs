namespace EdgePartition.OpcUa.Framing;

/// <summary>The three-letter message types of the UA TCP and secure-conversation headers (Part 6 §6.7.2.2, §7.1.2).</summary>
internal enum MessageType : byte
{
    Hello,
    Acknowledge,
    Error,
    Message,
    OpenChannel,
    CloseChannel,
    ReverseHello,
}

/// <summary>The fourth header byte: more chunks follow, final chunk, or the message is aborted.</summary>
internal enum ChunkKind : byte
{
    Intermediate = (byte)'C',
    Final = (byte)'F',
    Abort = (byte)'A',
}
