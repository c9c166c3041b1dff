using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Random and mutated input to the chunk and response decoders: the typed exception or a result, nothing else.</summary>
public sealed class FuzzTests
{
    private const int Iterations = 20000;

    [Fact]
    public void RandomChunkHeadersOnlyThrowTheTypedException()
    {
        var random = new Random(1234);
        var header = new byte[ChunkHeader.Length];
        var prefixes = new[] { "MSG"u8.ToArray(), "OPN"u8.ToArray(), "ACK"u8.ToArray(), "ERR"u8.ToArray(), "CLO"u8.ToArray() };
        for (var i = 0; i < Iterations; i++)
        {
            random.NextBytes(header);
            if (i % 2 == 0)
            {
                prefixes[random.Next(prefixes.Length)].CopyTo(header, 0);
                header[3] = (byte)"CFAX"[random.Next(4)];
            }

            try
            {
                var parsed = ChunkHeader.Parse(header, 65536);
                Assert.InRange(parsed.Size, ChunkHeader.MinimumSize, 65536);
            }
            catch (OpcUaProtocolException)
            {
            }
        }
    }

    [Fact]
    public void MutatedReadResponsesOnlyThrowTheTypedException()
    {
        var valid = ValidReadResponse();
        var results = new DataValue[4];
        AttributeMessages.ReadRead(valid, results);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, results[3].StatusCode);

        var random = new Random(99);
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(valid, random);
            try
            {
                AttributeMessages.ReadRead(mutated, results);
            }
            catch (OpcUaProtocolException)
            {
            }
        }
    }

    [Fact]
    public void RandomSessionAndChannelResponsesOnlyThrowTheTypedException()
    {
        var random = new Random(7);
        var prefix = new UaWriter();
        for (var i = 0; i < Iterations; i++)
        {
            // Half start with a plausible type id and header so the decoders get past the first field.
            prefix.Reset();
            if (i % 2 == 0)
            {
                NodeIdCodec.Write(prefix, new NodeId(0, i % 4 == 0 ? ServiceIds.CreateSessionResponse : ServiceIds.OpenSecureChannelResponse));
                prefix.WriteInt64(0);
                prefix.WriteUInt32(1);
                prefix.WriteUInt32(0);
                prefix.WriteByte(0);
                prefix.WriteInt32(-1);
                prefix.WriteBytes([0, 0, 0]);
            }

            var tail = new byte[random.Next(0, 200)];
            random.NextBytes(tail);
            var body = prefix.Written.ToArray().Concat(tail).ToArray();
            try
            {
                if (i % 4 == 0)
                {
                    SessionMessages.ReadCreate(body);
                }
                else
                {
                    SecureChannelMessages.ReadOpenResponse(body);
                }
            }
            catch (OpcUaProtocolException)
            {
            }
        }
    }

    [Fact]
    public void AssemblerEnforcesMessageAndChunkLimits()
    {
        var bySize = new MessageAssembler(maxMessageSize: 100, maxChunkCount: 10);
        bySize.Append(new byte[60]);
        Assert.Equal(ProtocolErrorReason.LimitExceeded, Assert.Throws<OpcUaProtocolException>(() => bySize.Append(new byte[60])).Reason);
        var byCount = new MessageAssembler(maxMessageSize: 1000, maxChunkCount: 2);
        byCount.Append(new byte[1]);
        byCount.Append(new byte[1]);
        Assert.Throws<OpcUaProtocolException>(() => byCount.Append(new byte[1]));
    }

    private static byte[] ValidReadResponse()
    {
        var writer = new UaWriter();
        NodeIdCodec.Write(writer, new NodeId(0, ServiceIds.ReadResponse));
        writer.WriteDateTime(DateTime.UtcNow);
        writer.WriteUInt32(1);
        writer.WriteUInt32(StatusCodes.Good);
        writer.WriteByte(0);
        writer.WriteInt32(-1);
        writer.WriteBytes([0, 0, 0]);
        writer.WriteInt32(4);
        VariantCodec.WriteDataValue(writer, new DataValue(Variant.FromDouble(1.5), 0, DateTime.UtcNow, DateTime.UtcNow));
        VariantCodec.WriteDataValue(writer, DataValue.Of(Variant.FromString("text")));
        VariantCodec.WriteDataValue(writer, DataValue.Of(Variant.FromArray(BuiltInType.Int32, new[] { 1, 2, 3 })));
        VariantCodec.WriteDataValue(writer, new DataValue(default, StatusCodes.BadNodeIdUnknown, DateTime.MinValue, DateTime.MinValue));
        writer.WriteInt32(-1);
        return writer.Written.ToArray();
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var copy = valid.ToArray();
        switch (random.Next(3))
        {
            case 0:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                }

                return copy;
            case 1:
                return copy[..random.Next(copy.Length)];
            default:
                var at = random.Next(copy.Length - 4);
                BitConverter.TryWriteBytes(copy.AsSpan(at), random.Next(2) == 0 ? int.MaxValue : random.Next(-5, 5000));
                return copy;
        }
    }
}
