using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using EdgePartition.S7.Client;
using EdgePartition.S7.Framing;
using EdgePartition.S7.Server;
using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Tests;

/// <summary>
/// Random and mutated frames through every parser: the only exception that may escape is S7ProtocolException,
/// nothing hangs, and nothing reads out of range (which would surface as another exception type).
/// </summary>
public sealed class FrameFuzzTests
{
    private const int Iterations = 20_000;

    /// <summary>A valid Read Var reply with three items (one failed), used as the seed for mutations.</summary>
    private static readonly byte[] ReadReplySeed = Convert.FromHexString(
        "32030000000700020011000004030A000000FF040018010203FF03000101");

    private static readonly byte[] ReadJobSeed = BuildReadJob();

    private static readonly byte[] CrSeed = Convert.FromHexString("0300001611E00000000100C0010AC1020100C2020301");

    [Fact]
    public void IsoFrameParserOnlyThrowsTheProtocolError()
    {
        var random = new Random(1);
        var frame = new byte[IsoFrameCodec.DataHeaderLength + ReadReplySeed.Length];
        IsoFrameCodec.WriteDataHeader(frame, ReadReplySeed.Length);
        ReadReplySeed.CopyTo(frame, IsoFrameCodec.DataHeaderLength);
        for (int i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, i % 3 == 0 ? CrSeed : frame);
            Guard(() =>
            {
                var reader = new SequenceReader<byte>(Split(input, random));
                while (IsoFrameCodec.TryParse(ref reader, 1024, out var parsed))
                {
                    Assert.True(parsed.Payload.Length <= input.Length);
                }
            });
        }
    }

    [Fact]
    public void S7ReplyParsersOnlyThrowTheProtocolError()
    {
        var random = new Random(2);
        for (int i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, ReadReplySeed);
            Guard(() =>
            {
                var data = S7ReplyReader.ReadAckData(input, S7Function.ReadVar, 3);
                var items = new S7DataItemReader(data);
                int n = 0;
                while (items.TryRead(out _, out _, out var value) && n++ < 300)
                {
                    Assert.True(value.Length <= input.Length);
                }
            });
            Guard(() => S7ReplyReader.ReadSetupCommunication(input));
        }
    }

    [Fact]
    public void S7JobParsersOnlyThrowTheProtocolError()
    {
        var random = new Random(3);
        var items = new S7ItemSpec[S7JobReader.MaxItems];
        for (int i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, ReadJobSeed);
            Guard(() =>
            {
                var header = S7Header.Parse(input);
                S7JobReader.ReadItems(input.AsSpan(S7Header.JobLength, header.ParameterLength), items);
            });
        }
    }

    [Fact]
    public async Task MessageReaderNeverHangsOnCutOrEndlessInput()
    {
        var random = new Random(4);
        var buffer = new byte[960];
        for (int i = 0; i < 2_000; i++)
        {
            var pipe = new Pipe();
            var frame = new byte[IsoFrameCodec.DataHeaderLength + ReadReplySeed.Length];
            IsoFrameCodec.WriteDataHeader(frame, ReadReplySeed.Length);
            ReadReplySeed.CopyTo(frame, IsoFrameCodec.DataHeaderLength);
            var input = Mutate(random, frame);
            await pipe.Writer.WriteAsync(input);
            await pipe.Writer.CompleteAsync(); // end of stream after the bytes: a cut frame must be an error, not a wait
            var reader = new IsoMessageReader(pipe.Reader);
            try
            {
                while (true)
                {
                    await reader.ReadAsync(buffer, 1024, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
                }
            }
            catch (S7ProtocolException)
            {
            }
        }
    }

    [Fact]
    public async Task ServerSurvivesMutatedFramesAndKeepsServingOthers()
    {
        await using var server = new S7Server();
        server.RegisterArea(S7Area.DB, 1, 256);
        server.Start(IPAddress.Loopback, 0);
        await using var good = new S7Client(new S7ClientOptions { Host = "127.0.0.1", Port = server.Port });
        await good.ConnectAsync(TestTimeouts.Token());
        var random = new Random(5);
        var setup = new byte[IsoFrameCodec.DataHeaderLength + S7JobWriter.SetupCommunicationLength];
        S7JobWriter.WriteSetupCommunication(setup.AsSpan(IsoFrameCodec.DataHeaderLength), 1, 1, 480);
        IsoFrameCodec.WriteDataHeader(setup, S7JobWriter.SetupCommunicationLength);
        var job = new byte[IsoFrameCodec.DataHeaderLength + ReadJobSeed.Length];
        ReadJobSeed.CopyTo(job, IsoFrameCodec.DataHeaderLength);
        IsoFrameCodec.WriteDataHeader(job, ReadJobSeed.Length);

        for (int i = 0; i < 150; i++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, server.Port, TestTimeouts.Token());
            var frames = CrSeed.Concat(setup).Concat(Mutate(random, job)).ToArray();
            if (i % 2 == 0)
            {
                frames = Mutate(random, frames);
            }

            try
            {
                await socket.SendAsync(frames, SocketFlags.None, TestTimeouts.Token());
                socket.Shutdown(SocketShutdown.Send);
                var sink = new byte[4096];
                while (await socket.ReceiveAsync(sink, SocketFlags.None, TestTimeouts.Token()) > 0)
                {
                }
            }
            catch (SocketException)
            {
                // The server resets a connection that sent garbage: that is the expected outcome.
            }
        }

        var bytes = new byte[8];
        await good.ReadAsync(S7Area.DB, 1, 0, bytes, TestTimeouts.Token());
        Assert.Equal(ConnectionState.Connected, good.State);
        Assert.Equal(1, good.Counters.Connects);
    }

    private static void Guard(Action parse)
    {
        try
        {
            parse();
        }
        catch (S7ProtocolException)
        {
        }
    }

    /// <summary>Flips, inserts, deletes, truncates or replaces bytes; sometimes returns pure noise.</summary>
    private static byte[] Mutate(Random random, byte[] seed)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(0, 64)];
            random.NextBytes(noise);
            return noise;
        }

        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 4 when bytes.Count > 0: bytes.RemoveRange(at, bytes.Count - at); break;
                default: break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Presents the input as a multi-segment sequence so parsers see segment boundaries anywhere.</summary>
    private static ReadOnlySequence<byte> Split(byte[] input, Random random)
    {
        if (input.Length < 2)
        {
            return new ReadOnlySequence<byte>(input);
        }

        int cut = random.Next(1, input.Length);
        var first = new Segment(input.AsMemory(0, cut));
        var last = first.Append(input.AsMemory(cut));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private static byte[] BuildReadJob()
    {
        var pdu = new byte[S7JobWriter.ReadRequestLength(2)];
        S7JobWriter.WriteReadVar(pdu, 7, [new S7ItemSpec(S7Area.DB, 1, 0, 10), new S7ItemSpec(S7Area.DB, 1, 3, 1, 2)]);
        return pdu;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
