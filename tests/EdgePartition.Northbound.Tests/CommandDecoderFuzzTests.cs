using EdgePartition.Northbound.Sparkplug;

namespace EdgePartition.Northbound.Tests;

/// <summary>The NCMD/DCMD decoder on mutated, truncated and oversized input: a result or a CommandDecodeException, nothing else.</summary>
public sealed class CommandDecoderFuzzTests
{
    private static readonly byte[] Valid = Convert.FromHexString(
        // Payload: timestamp, one metric {name "Speed", alias 2, datatype 2, int_value 42}, one {name "Node Control/Rebirth", datatype 11, boolean true}
        "08e80712" + "0d" + "0a055370656564" + "1002" + "2002" + "502a" + "12" + "1a" + "0a144e6f646520436f6e74726f6c2f52656269727468" + "200b" + "7001");

    [Fact]
    public void DecodesAValidCommand()
    {
        var metrics = PayloadDecoder.Decode(Valid);
        Assert.Equal(2, metrics.Count);
        Assert.Equal("Speed", metrics[0].Name);
        Assert.Equal(42UL, metrics[0].IntegerValue);
        Assert.Equal("Node Control/Rebirth", metrics[1].Name);
        Assert.True(metrics[1].BooleanValue);
    }

    [Fact]
    public void MutatedPayloadsAreDecodedOrRefusedNeverCrash()
    {
        var random = new Random(1717);
        var refused = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var input = Valid.ToArray();
            switch (round % 4)
            {
                case 0:
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    input = input[..random.Next(input.Length)];
                    break;
                case 2:
                    input = [.. input, .. Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256))];
                    break;
                default:
                    input = [.. Enumerable.Range(0, random.Next(0, 64)).Select(_ => (byte)random.Next(256))];
                    break;
            }

            try
            {
                PayloadDecoder.Decode(input);
            }
            catch (CommandDecodeException)
            {
                refused++;
            }
        }

        Assert.True(refused > 1000, $"only {refused} refused");
    }

    [Fact]
    public void OversizedAndOverlongInputIsRefusedWithItsReason()
    {
        Assert.Equal(CommandRefusal.TooLarge, Assert.Throws<CommandDecodeException>(() => PayloadDecoder.Decode(new byte[PayloadDecoder.MaxPayloadBytes + 1])).Reason);

        // A metric declaring 2^31 bytes with 3 bytes left.
        Assert.Equal(CommandRefusal.Malformed, Assert.Throws<CommandDecodeException>(() => PayloadDecoder.Decode([0x12, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3])).Reason);

        var many = new List<byte>();
        for (var i = 0; i <= PayloadDecoder.MaxMetrics; i++)
        {
            many.AddRange([0x12, 0x02, 0x10, 0x01]);
        }

        Assert.Equal(CommandRefusal.TooManyMetrics, Assert.Throws<CommandDecodeException>(() => PayloadDecoder.Decode(many.ToArray())).Reason);
    }
}
