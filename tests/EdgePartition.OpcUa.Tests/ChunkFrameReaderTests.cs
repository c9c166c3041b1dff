using System.Buffers;
using System.Buffers.Binary;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Framing;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// The UA TCP chunk cutter at its edges: every place a chunk can be split, sizes above the receive buffer refused
/// from the header alone, and a stream that ends inside a chunk, for the pure parser and through the client's pipe.
/// </summary>
public sealed class ChunkFrameReaderTests
{
    private const int MaxChunkSize = 8192;

    [Fact]
    public void ChunksSplitAtEveryByteBoundaryParseTheSame()
    {
        byte[][] chunks = [Chunk("MSG", 'C', 40), Chunk("MSG", 'F', 12), Chunk("OPN", 'F', 300), Chunk("ERR", 'F', 16)];
        byte[] stream = [.. chunks.SelectMany(c => c)];
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var reader = new SequenceReader<byte>(TwoSegments(stream, cut));
            var parsed = new List<byte[]>();
            while (ChunkFrameReader.TryRead(ref reader, MaxChunkSize, out var header, out var chunk))
            {
                Assert.Equal(header.Size, chunk.Length);
                parsed.Add(chunk.ToArray());
            }

            Assert.Equal(chunks, parsed);
            Assert.Equal(0, reader.Remaining);
        }
    }

    [Fact]
    public void AnIncompleteChunkConsumesNothing()
    {
        var chunk = Chunk("MSG", 'F', 100);
        for (var available = 0; available < chunk.Length; available++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(chunk, 0, available));
            Assert.False(ChunkFrameReader.TryRead(ref reader, MaxChunkSize, out _, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Theory]
    [InlineData(8193u)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(uint.MaxValue)]
    public void RefusesASizeAboveTheReceiveBufferFromTheHeaderAlone(uint size)
    {
        var header = new byte[ChunkHeader.Length];
        "MSGF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), size);
        var error = Assert.Throws<OpcUaProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(header));
            ChunkFrameReader.TryRead(ref reader, MaxChunkSize, out _, out _);
        });
        Assert.Equal(ProtocolErrorReason.LimitExceeded, error.Reason);
    }

    [Fact]
    public void AcceptsAChunkOfExactlyTheReceiveBufferSize()
    {
        var chunk = Chunk("MSG", 'F', MaxChunkSize);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(chunk));
        Assert.True(ChunkFrameReader.TryRead(ref reader, MaxChunkSize, out var header, out _));
        Assert.Equal(MaxChunkSize, header.Size);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(30)]
    public async Task AResponseCutOffAtEndOfStreamFailsTheConnectTyped(int sent)
    {
        await using var server = new ScriptedServer(async (stream, ct) =>
        {
            await ScriptedServer.ReadMessageAsync(stream, ct);
            await stream.WriteAsync(ScriptedServer.Acknowledge(), ct);
            await ScriptedServer.ReadMessageAsync(stream, ct);
            await stream.WriteAsync(Chunk("OPN", 'F', 200).AsMemory(0, sent), ct);
            stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        await using var client = new OpcUaClient(new OpcUaClientOptions
        {
            EndpointUrl = server.EndpointUrl,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(30),
        });
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.ConnectionClosed, error.Reason);
        Assert.Contains($"middle of a chunk ({sent} bytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A chunk of <paramref name="size"/> bytes: valid header, a recognisable body.</summary>
    private static byte[] Chunk(string type, char kind, int size)
    {
        var chunk = new byte[size];
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 0);
        chunk[3] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(4), size);
        for (var i = ChunkHeader.Length; i < size; i++)
        {
            chunk[i] = (byte)(i * 7);
        }

        return chunk;
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int cut)
    {
        var first = new Segment(bytes.AsMemory(0, cut), 0);
        var second = new Segment(bytes.AsMemory(cut), cut);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
