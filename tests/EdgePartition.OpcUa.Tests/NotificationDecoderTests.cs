using EdgePartition.OpcUa.Client.Subscriptions;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// The in-place Publish/Republish decoder: what it delivers, that a steady-state notification allocates nothing,
/// and fuzzing (random and mutated responses, hostile counts): only <see cref="OpcUaProtocolException"/>.
/// </summary>
public sealed class NotificationDecoderTests
{
    private static readonly DateTime At = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    [Fact]
    public void DeliversEveryValueAndStatusOfAPublishResponse()
    {
        var body = PublishResponse(items: 3, withStatusChange: true);
        var target = new CountingTarget();
        var reader = new UaReader(body);
        var available = new uint[4];

        var header = PublishResponseReader.ReadPublishHeader(ref reader, available);
        var message = PublishResponseReader.ReadMessageHeader(ref reader);
        PublishResponseReader.ReadNotificationData(ref reader, message.Count, target);

        Assert.Equal((42u, 2, true), (header.SubscriptionId, header.AvailableCount, header.MoreNotifications));
        Assert.Equal(new uint[] { 6, 7 }, available[..2]);
        Assert.Equal((7u, At, 2), (message.SequenceNumber, message.PublishTime, message.Count));
        Assert.Equal(3, target.Values);
        Assert.Equal(0 + 1.5 + 3, target.Sum);
        Assert.Equal(StatusCodes.BadTimeout, target.LastStatus);
    }

    [Fact]
    public void AFaultBecomesTheTypedErrorWithItsStatus()
    {
        var writer = new UaWriter();
        ServiceFaultMessage.Encode(writer, 1, StatusCodes.BadTooManyPublishRequests, At);
        var error = Assert.Throws<OpcUaProtocolException>(() =>
        {
            var reader = new UaReader(writer.Written);
            PublishResponseReader.ReadPublishHeader(ref reader, new uint[4]);
        });
        Assert.Equal((ProtocolErrorReason.PeerRejected, StatusCodes.BadTooManyPublishRequests), (error.Reason, error.StatusCode));
    }

    [Fact]
    public void SteadyStateNotificationsAllocateNothing()
    {
        const int Items = 1000;
        var body = PublishResponse(Items, withStatusChange: false);
        var target = new CountingTarget();
        var available = new uint[64];
        for (var i = 0; i < 50; i++)
        {
            Decode(body, available, target);
        }

        const int Rounds = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            Decode(body, available, target);
        }

        var perNotification = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)(Rounds * Items);

        // The response header's NodeIds are a few small objects per message (about 100 bytes for 1000 values), never
        // one per value.
        Assert.True(perNotification < 0.5, $"{perNotification:0.000} bytes per notification");
    }

    [Fact]
    public void RandomAndMutatedResponsesOnlyThrowTheTypedException()
    {
        var valid = PublishResponse(items: 4, withStatusChange: true);
        var random = new Random(829);
        for (var i = 0; i < 5000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = (byte[])valid.Clone();
                for (var flips = random.Next(1, 5); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = random.Next(3) switch { 0 => 0xFF, 1 => 0x7F, _ => (byte)random.Next(256) };
                }
            }
            else
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
                valid.AsSpan(0, Math.Min(input.Length, random.Next(0, valid.Length))).CopyTo(input);
            }

            try
            {
                Decode(input, new uint[8], new CountingTarget());
            }
            catch (OpcUaProtocolException)
            {
                // The one error a bad response may cause.
            }
        }
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(100_000_000)]
    [InlineData(-2)]
    public void HostileItemCountsAreRefusedBeforeAnythingIsRead(int count)
    {
        var body = PublishResponse(items: 1, withStatusChange: false);

        // The DataChangeNotification's item count sits after its body length; find it by its value 1 behind the
        // body's encoding id (811 as a four-byte NodeId: 01 00 2B 03) + encoding byte + length.
        var at = body.AsSpan().IndexOf(new byte[] { 0x01, 0x00, 0x2B, 0x03, 0x01 }) + 5 + 4;
        BitConverter.TryWriteBytes(body.AsSpan(at), count);
        var error = Assert.Throws<OpcUaProtocolException>(() => Decode(body, new uint[8], new CountingTarget()));
        Assert.Equal(ProtocolErrorReason.MalformedFrame, error.Reason);
    }

    [Fact]
    public void SequenceTrackerFindsGapsDropsDuplicatesAndAcceptsLateMessages()
    {
        var tracker = default(SequenceTracker);
        Assert.Equal(SequenceVerdict.New, tracker.Observe(5));
        Assert.Equal(SequenceVerdict.New, tracker.Observe(6));
        Assert.Equal(SequenceVerdict.Duplicate, tracker.Observe(6));
        Assert.Equal(SequenceVerdict.Duplicate, tracker.Observe(4));
        Assert.Equal(SequenceVerdict.New, tracker.Observe(9));
        Span<uint> missing = stackalloc uint[8];

        // Missing 7 and 8 are only reported once a later message was handled too (they may just be late).
        Assert.Equal(0, tracker.TakeMissing(missing));
        Assert.Equal(SequenceVerdict.New, tracker.Observe(8));
        Assert.Equal(SequenceVerdict.New, tracker.Observe(10));
        Assert.Equal(1, tracker.TakeMissing(missing));
        Assert.Equal(7u, missing[0]);
        Assert.Equal(0, tracker.TakeMissing(missing));

        // A keep-alive announcing 13 means 11 and 12 were sent.
        tracker.ObserveKeepAlive(13);
        Assert.Equal(0, tracker.TakeMissing(missing));
        Assert.Equal(2, tracker.TakeMissing(missing));
        Assert.Equal(new uint[] { 12, 11 }, missing[..2].ToArray());
        Assert.Equal(SequenceVerdict.New, tracker.Observe(13));
    }

    private static void Decode(byte[] body, uint[] available, CountingTarget target)
    {
        var reader = new UaReader(body);
        PublishResponseReader.ReadPublishHeader(ref reader, available);
        var message = PublishResponseReader.ReadMessageHeader(ref reader);
        PublishResponseReader.ReadNotificationData(ref reader, message.Count, target);
    }

    private static byte[] PublishResponse(int items, bool withStatusChange)
    {
        var values = new MonitoredItemNotification[items];
        for (var i = 0; i < items; i++)
        {
            values[i] = new MonitoredItemNotification((uint)i, new DataValue(Variant.FromDouble(i * 1.5), StatusCodes.Good, At, At));
        }

        ExtensionObject[] data = withStatusChange
            ?
            [
                ExtensionObject.FromStructure(DataChangeNotification.BinaryEncodingId, new DataChangeNotification(values, [])),
                ExtensionObject.FromStructure(StatusChangeNotification.BinaryEncodingId, new StatusChangeNotification(StatusCodes.BadTimeout, null!)),
            ]
            : [ExtensionObject.FromStructure(DataChangeNotification.BinaryEncodingId, new DataChangeNotification(values, []))];
        var writer = new UaWriter();
        PublishMessages.PublishResponseCodec.Encode(
            writer, 1, new PublishMessages.PublishResponse(42, [6, 7], true, new NotificationMessage(7, At, data), [], []), At);
        return writer.Written.ToArray();
    }

    private sealed class CountingTarget : INotificationTarget
    {
        public int Values { get; private set; }

        public double Sum { get; private set; }

        public uint LastStatus { get; private set; }

        public void OnValue(uint clientHandle, in DataValue value)
        {
            Values++;
            Sum += value.Value.ToDouble();
        }

        public void OnStatus(uint status) => LastStatus = status;
    }
}
