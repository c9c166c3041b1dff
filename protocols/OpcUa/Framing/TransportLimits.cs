using EdgePartition.OpcUa.Encoding;

namespace EdgePartition.OpcUa.Framing;

/// <summary>
/// The buffer and message limits of a UA TCP connection: what the client offers in HEL and what the server's ACK
/// settles on (Part 6 §7.1.2.3-4). 0 for MaxMessageSize/MaxChunkCount means "no limit" on the wire; the client
/// still applies its own caps to what it receives.
/// </summary>
public sealed record TransportLimits(int ReceiveBufferSize, int SendBufferSize, int MaxMessageSize, int MaxChunkCount)
{
    public const int MinimumBufferSize = 8192;

    public static TransportLimits ClientDefault { get; } = new(65536, 65536, 16 * 1024 * 1024, 512);

    internal static void WriteHello(UaWriter writer, TransportLimits limits, string endpointUrl)
    {
        writer.WriteUInt32(0);
        writer.WriteInt32(limits.ReceiveBufferSize);
        writer.WriteInt32(limits.SendBufferSize);
        writer.WriteInt32(limits.MaxMessageSize);
        writer.WriteInt32(limits.MaxChunkCount);
        writer.WriteString(endpointUrl);
    }

    /// <summary>
    /// Reads an ACK body and returns the limits both sides now use: the server's receive buffer caps what we send,
    /// its send buffer what we receive (never above what we offered), and its message/chunk limits what we send.
    /// </summary>
    internal static TransportLimits ReadAcknowledge(ReadOnlySpan<byte> body, TransportLimits offered, out TransportLimits serverLimits)
    {
        var reader = new UaReader(body);
        reader.ReadUInt32();
        var serverReceive = reader.ReadInt32();
        var serverSend = reader.ReadInt32();
        var serverMaxMessage = reader.ReadInt32();
        var serverMaxChunks = reader.ReadInt32();
        if (serverReceive < MinimumBufferSize || serverSend < MinimumBufferSize)
        {
            throw OpcUaProtocolException.Malformed($"ACK buffer sizes {serverReceive}/{serverSend} are below {MinimumBufferSize}");
        }

        serverLimits = new TransportLimits(serverReceive, serverSend, serverMaxMessage, serverMaxChunks);
        return new TransportLimits(
            ReceiveBufferSize: Math.Min(offered.ReceiveBufferSize, serverSend),
            SendBufferSize: Math.Min(offered.SendBufferSize, serverReceive),
            MaxMessageSize: serverMaxMessage,
            MaxChunkCount: serverMaxChunks);
    }
}
