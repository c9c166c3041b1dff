using System.Buffers;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Framing;
using EdgePartition.Modbus.Server;
using EdgePartition.Modbus.Wire;

namespace EdgePartition.Modbus.Tests;

/// <summary>
/// Random and mutated input against every parser that sees network bytes: the MBAP frame cutter (client and server
/// share it), the client's reply decoder and the server's request processor. Seeds are fixed so a failure repeats.
/// The only acceptable failure is a <see cref="ModbusProtocolException"/>; never another exception, a hang or a read outside
/// the declared frame.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 20_000;

    [Fact]
    public void FrameReaderSurvivesRandomStreamsInRandomSegments()
    {
        var random = new Random(1);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            if (random.Next(2) == 0 && bytes.Length >= 6)
            {
                // Make the header plausible so the length checks and the body path are exercised too.
                bytes[2] = 0;
                bytes[3] = 0;
                bytes[4] = 0;
                bytes[5] = (byte)random.Next(0, 260);
            }

            var sequence = Segmented(bytes, random);
            var reader = new SequenceReader<byte>(sequence);
            try
            {
                while (MbapFrameReader.TryRead(ref reader, out var header, out var pdu))
                {
                    Assert.InRange(header.Length, MbapFrameReader.MinLengthField, MbapFrameReader.MaxLengthField);
                    Assert.Equal(header.PduLength, pdu.Length);
                }
            }
            catch (ModbusProtocolException e)
            {
                Assert.Equal(ProtocolErrorReason.MalformedFrame, e.Reason);
            }

            Assert.InRange(reader.Consumed, 0, bytes.Length);
        }
    }

    [Fact]
    public void FrameReaderCutsValidFramesIdenticallyWhateverTheSegmentation()
    {
        var random = new Random(2);
        for (var i = 0; i < 2000; i++)
        {
            var frames = new List<byte[]>();
            var stream = new List<byte>();
            for (var f = random.Next(1, 6); f > 0; f--)
            {
                var pdu = new byte[random.Next(1, ModbusLimits.MaxPduLength + 1)];
                random.NextBytes(pdu);
                frames.Add(pdu);
                stream.AddRange(RawModbusSocket.Frame((ushort)random.Next(65536), (byte)random.Next(256), pdu));
            }

            var cut = random.Next(0, 7); // leave a partial header or body at the end
            stream.AddRange(RawModbusSocket.Frame(1, 1, 3, 0, 0, 0, 1).AsSpan(0, cut).ToArray());

            var reader = new SequenceReader<byte>(Segmented([.. stream], random));
            var parsed = 0;
            while (MbapFrameReader.TryRead(ref reader, out _, out var pdu))
            {
                Assert.Equal(frames[parsed++], pdu.ToArray());
            }

            Assert.Equal(frames.Count, parsed);
            Assert.Equal(cut, reader.Remaining);
        }
    }

    [Fact]
    public void ReplyDecoderRejectsEveryRandomOrMutatedReply()
    {
        var random = new Random(3);
        var registers = new ushort[125];
        var bits = new bool[2000];
        var words = new ushort[2000];
        ModbusFunction[] functions = [ModbusFunction.ReadCoils, ModbusFunction.ReadDiscreteInputs, ModbusFunction.ReadHoldingRegisters,
            ModbusFunction.ReadInputRegisters, ModbusFunction.WriteSingleCoil, ModbusFunction.WriteSingleRegister,
            ModbusFunction.WriteMultipleCoils, ModbusFunction.WriteMultipleRegisters, ModbusFunction.ReadWriteMultipleRegisters];
        for (var i = 0; i < Iterations; i++)
        {
            var function = functions[random.Next(functions.Length)];
            var pdu = new byte[random.Next(1, ModbusLimits.MaxPduLength + 1)];
            random.NextBytes(pdu);
            if (random.Next(2) == 0)
            {
                pdu[0] = (byte)function; // right function, random body
            }

            var count = random.Next(1, 126);
            try
            {
                switch (function)
                {
                    case ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs:
                        var n = random.Next(1, 2001);
                        if (random.Next(2) == 0)
                        {
                            ResponseDecoder.ReadBits(pdu, function, bits.AsSpan(0, n));
                        }
                        else
                        {
                            ResponseDecoder.ReadBits(pdu, function, words.AsSpan(0, n));
                        }

                        break;
                    case ModbusFunction.WriteSingleCoil or ModbusFunction.WriteSingleRegister or ModbusFunction.WriteMultipleCoils or ModbusFunction.WriteMultipleRegisters:
                        ResponseDecoder.CheckEcho(pdu, function, (ushort)random.Next(65536), (ushort)random.Next(65536));
                        break;
                    default:
                        ResponseDecoder.ReadRegisters(pdu, function, registers.AsSpan(0, count));
                        break;
                }
            }
            catch (ModbusProtocolException e)
            {
                Assert.True(e.Reason is ProtocolErrorReason.UnexpectedReply or ProtocolErrorReason.PeerRejected, e.Reason.ToString());
            }
        }
    }

    [Fact]
    public void RequestProcessorAnswersEveryRandomOrMutatedRequest()
    {
        var random = new Random(4);
        var processor = new ModbusRequestProcessor(new ModbusDataStore(), null, null);
        var reply = new byte[ModbusLimits.MaxPduLength];
        byte[][] seeds = [[1, 0, 0, 0, 10], [3, 0, 0, 0, 125], [5, 0, 1, 0xFF, 0], [6, 0, 1, 0, 1],
            [0x0F, 0, 0, 0, 9, 2, 0xFF, 1], [0x10, 0, 0, 0, 2, 4, 0, 1, 0, 2], [0x17, 0, 0, 0, 2, 0, 10, 0, 1, 2, 0, 9]];
        for (var i = 0; i < Iterations; i++)
        {
            byte[] pdu;
            if (random.Next(2) == 0)
            {
                pdu = new byte[random.Next(1, ModbusLimits.MaxPduLength + 1)];
                random.NextBytes(pdu);
                pdu[0] = seeds[random.Next(seeds.Length)][0];
            }
            else
            {
                // Mutate a valid request: flip bytes, cut it, or extend it.
                pdu = [.. seeds[random.Next(seeds.Length)]];
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    pdu[random.Next(pdu.Length)] = (byte)random.Next(256);
                }

                pdu = random.Next(3) switch
                {
                    0 => pdu[..random.Next(1, pdu.Length + 1)],
                    1 => [.. pdu, .. new byte[random.Next(1, 10)]],
                    _ => pdu,
                };
                pdu[0] = pdu[0] == 0 ? (byte)3 : pdu[0];
            }

            var length = processor.Process(null, 1, pdu, reply);
            Assert.InRange(length, 2, ModbusLimits.MaxPduLength);
            Assert.True(reply[0] == pdu[0] || reply[0] == (pdu[0] | 0x80));
            if (reply[0] == (pdu[0] | 0x80) && pdu[0] < 0x80)
            {
                Assert.Equal(2, length);
            }
        }
    }

    [Fact]
    public async Task ClientSurvivesADeviceAnsweringGarbage()
    {
        var random = new Random(5);
        using var device = new ScriptedDevice();
        for (var round = 0; round < 40; round++)
        {
            // A client per round: a device answering only garbage would otherwise (rightly) be backed off from.
            await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = device.Port, RequestTimeout = TimeSpan.FromSeconds(10) });
            var read = client.ReadHoldingRegistersAsync(0, new ushort[2]).AsTask();
            using var peer = await device.AcceptAsync();
            var request = (await peer.ReceiveFrameAsync())!.Value;
            var pdu = new byte[random.Next(1, 20)];
            random.NextBytes(pdu);
            var frame = RawModbusSocket.Frame(request.TransactionId, request.UnitId, pdu);
            if (random.Next(3) == 0)
            {
                frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
            }

            await peer.SendAsync(frame);
            peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send); // nothing more will come
            try
            {
                await read.WithTimeout();
            }
            catch (ModbusProtocolException)
            {
                // Typed failure is the expected outcome for garbage.
            }
        }
    }

    /// <summary>The bytes as a sequence of 1..n segments cut at random places.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, Random random)
    {
        if (bytes.Length < 2 || random.Next(3) == 0)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var cuts = new SortedSet<int>();
        for (var c = random.Next(1, Math.Min(8, bytes.Length)); c > 0; c--)
        {
            cuts.Add(random.Next(1, bytes.Length));
        }

        Segment? first = null;
        Segment? last = null;
        var start = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            var segment = new Segment(bytes.AsMemory(start, cut - start), last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.SetNext(segment);
            }

            last = segment;
            start = cut;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
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
