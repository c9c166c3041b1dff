using System.Buffers;
using System.IO.Pipelines;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Framing;

namespace EdgePartition.Modbus.Tests;

/// <summary>
/// The MBAP frame cutter at its edges: every place a frame can be split, the length field's limits, and a stream that
/// ends inside a frame, both for the pure parser and through the client's pipe.
/// </summary>
public sealed class FrameReaderEdgeTests
{
    private static readonly byte[][] Pdus = [[3, 4, 0, 1, 0, 2], [0x83, 2], [.. Enumerable.Range(0, ModbusLimits.MaxPduLength).Select(i => (byte)i)]];

    [Fact]
    public void FramesSplitAtEveryByteBoundaryParseTheSame()
    {
        var stream = Stream();
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var reader = new SequenceReader<byte>(TwoSegments(stream, cut));
            var parsed = new List<byte[]>();
            while (MbapFrameReader.TryRead(ref reader, out var header, out var pdu))
            {
                Assert.Equal(parsed.Count + 1, header.TransactionId);
                parsed.Add(pdu.ToArray());
            }

            Assert.Equal(Pdus, parsed);
            Assert.Equal(0, reader.Remaining);
        }
    }

    [Fact]
    public async Task FramesFedThroughAPipeInPiecesOfEverySizeParseTheSame()
    {
        var stream = Stream();
        foreach (var piece in new[] { 1, 2, 3, 5, 7, 8, 13, 64, 259, 260, 261 })
        {
            var pipe = new Pipe();
            var parsed = new List<byte[]>();
            for (var offset = 0; offset < stream.Length; offset += piece)
            {
                await pipe.Writer.WriteAsync(stream.AsMemory(offset, Math.Min(piece, stream.Length - offset)));
                var result = await pipe.Reader.ReadAsync();
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                try
                {
                    consumed = ReadAll(buffer, parsed);
                }
                finally
                {
                    pipe.Reader.AdvanceTo(consumed, buffer.End);
                }
            }

            Assert.Equal(Pdus, parsed);
        }
    }

    [Theory]
    [InlineData(255)]
    [InlineData(0x7FFF)]
    [InlineData(0xFFFF)]
    public void RejectsADeclaredLengthAboveTheLimitBeforeTheBodyArrives(int length)
    {
        // Only the header: the frame is judged on its length field, not after buffering a body that may never end.
        byte[] header = [0, 1, 0, 0, (byte)(length >> 8), (byte)length, 1];
        var error = Assert.Throws<ModbusProtocolException>(() => TryReadOnce(header));
        Assert.Equal(ProtocolErrorReason.MalformedFrame, error.Reason);
        Assert.Contains($"length field {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void RejectsADeclaredLengthTooShortForUnitAndFunction(int length)
    {
        byte[] header = [0, 1, 0, 0, 0, (byte)length];
        Assert.Equal(ProtocolErrorReason.MalformedFrame, Assert.Throws<ModbusProtocolException>(() => TryReadOnce(header)).Reason);
    }

    [Fact]
    public void AcceptsTheLargestLegalLengthAndWaitsForItsBody()
    {
        var frame = RawModbusSocket.Frame(1, 1, Pdus[2]);
        Assert.Equal(MbapFrameReader.MaxLengthField, (frame[4] << 8) | frame[5]);
        for (var available = 0; available < frame.Length; available++)
        {
            Assert.False(TryReadOnce(frame.AsSpan(0, available).ToArray()));
        }

        Assert.True(TryReadOnce(frame));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    public async Task AReplyCutOffAtEndOfStreamFailsAsMalformedNotSilently(int sent)
    {
        using var device = new ScriptedDevice();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = device.Port, RequestTimeout = TimeSpan.FromSeconds(30) });
        var pending = client.ReadHoldingRegistersAsync(0, new ushort[2]).AsTask();
        using var peer = await device.AcceptAsync();
        var request = (await peer.ReceiveFrameAsync())!.Value;
        var reply = RawModbusSocket.Frame(request.TransactionId, request.UnitId, 3, 4, 0, 1, 0, 2);
        await peer.SendAsync(reply[..sent]);
        peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.ConnectionClosed, error.Reason);
        var cause = Assert.IsType<ModbusProtocolException>(error.InnerException);
        Assert.Equal(ProtocolErrorReason.MalformedFrame, cause.Reason);
        Assert.Contains($"middle of a frame ({sent} bytes)", cause.Message, StringComparison.Ordinal);
    }

    private static byte[] Stream() => [.. Pdus.SelectMany((pdu, i) => RawModbusSocket.Frame((ushort)(i + 1), 1, pdu))];

    private static SequencePosition ReadAll(in ReadOnlySequence<byte> buffer, List<byte[]> parsed)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (MbapFrameReader.TryRead(ref reader, out _, out var pdu))
        {
            parsed.Add(pdu.ToArray());
        }

        return reader.Position;
    }

    private static bool TryReadOnce(byte[] bytes)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var read = MbapFrameReader.TryRead(ref reader, out _, out _);
        Assert.Equal(read ? 0 : bytes.Length, reader.Remaining); // need-more consumes nothing
        return read;
    }

    /// <summary>The bytes as two segments cut at <paramref name="cut"/> (an empty segment at either end included).</summary>
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
