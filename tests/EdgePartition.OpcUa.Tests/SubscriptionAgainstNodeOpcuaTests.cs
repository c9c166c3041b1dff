using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Client.Subscriptions;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

public sealed class SubscriptionAgainstNodeOpcuaTests : IClassFixture<SubscriptionPeerFixture>
{
    private static readonly SubscriptionSettings Fast = new() { PublishingInterval = TimeSpan.FromMilliseconds(100) };
    private readonly SubscriptionPeerFixture _fixture;

    public SubscriptionAgainstNodeOpcuaTests(SubscriptionPeerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task DeliversChangesOfAChangingNode()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var handler = new RecordingHandler();
        var subscription = await client.CreateSubscriptionAsync(Fast, handler, CancellationToken.None).WithTimeout();
        var items = await subscription.AddItemsAsync([new MonitoredItemSettings(new NodeId(1, "Mass.7"), 7), new MonitoredItemSettings(new NodeId(1, "Counter"), 8)], CancellationToken.None)
            .WithTimeout();

        Assert.All(items, item => Assert.Equal(StatusCodes.Good, item.Status));
        Assert.True(subscription.ServerId != 0);
        Assert.True(subscription.PublishingInterval > TimeSpan.Zero);
        Assert.True(subscription.KeepAliveCount > 0);
        await Eventually.PollAsync(() => handler.ValuesOf(7).Length >= 4 && handler.ValuesOf(8).Length >= 4, "four values of each item");

        var values = handler.NumbersOf(7);
        Assert.Equal(values.OrderBy(v => v), values);
        Assert.Equal(values.Length, values.Distinct().Count());
        Assert.All(handler.ValuesOf(7), v => Assert.NotEqual(DateTime.MinValue, v.SourceTimestamp));
    }

    [Fact]
    public async Task AbsoluteDeadbandHoldsBackChangesBelowIt()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var raw = new NodeId(1, "Analog.Raw");
        await WriteAsync(client, raw, 0);
        var handler = new RecordingHandler();
        var subscription = await client.CreateSubscriptionAsync(Fast, handler, CancellationToken.None).WithTimeout();
        await subscription.AddItemsAsync(
            [
                new MonitoredItemSettings(raw, 1) { DeadbandType = DeadbandType.Absolute, DeadbandValue = 5 },
                new MonitoredItemSettings(raw, 2),
            ],
            CancellationToken.None).WithTimeout();
        await Eventually.PollAsync(() => handler.ValuesOf(1).Length == 1 && handler.ValuesOf(2).Length == 1, "the initial values");

        await AssertDeadbandAsync(client, handler, raw, small: 3, large: 20);
    }

    [Fact]
    public async Task PercentDeadbandUsesTheEURange()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var level = new NodeId(1, "Analog.Level");
        await WriteAsync(client, level, 50);
        var handler = new RecordingHandler();
        var subscription = await client.CreateSubscriptionAsync(Fast, handler, CancellationToken.None).WithTimeout();
        var items = await subscription.AddItemsAsync(
            [
                new MonitoredItemSettings(level, 1) { DeadbandType = DeadbandType.Percent, DeadbandValue = 10 },
                new MonitoredItemSettings(level, 2),
            ],
            CancellationToken.None).WithTimeout();
        Assert.All(items, item => Assert.Equal(StatusCodes.Good, item.Status));
        await Eventually.PollAsync(() => handler.ValuesOf(1).Length == 1 && handler.ValuesOf(2).Length == 1, "the initial values");

        // 10 % of the range 0..100 is 10: 55 stays below it, 75 does not.
        await AssertDeadbandAsync(client, handler, level, small: 55, large: 75);
    }

    [Fact]
    public async Task TenThousandItemsInOneSubscriptionWithResponsesLargerThanAChunk()
    {
        // 8 KiB chunks: the first Publish response (10,000 initial values) spans dozens of them.
        var options = _fixture.Options() with
        {
            TransportLimits = new TransportLimits(8192, 8192, 16 * 1024 * 1024, 4096),
            RequestTimeout = TestTimeouts.Scaled(TimeSpan.FromSeconds(60)),
        };
        await using var client = new OpcUaClient(options);
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var handler = new RecordingHandler();
        var subscription = await client.CreateSubscriptionAsync(Fast with { PublishingInterval = TimeSpan.FromMilliseconds(500) }, handler, CancellationToken.None)
            .WithTimeout();
        var settings = Enumerable.Range(0, 10_000).Select(i => new MonitoredItemSettings(new NodeId(1, $"Mass.{i}"), (uint)i)).ToArray();
        var items = await Eventually.CompletesAsync(subscription.AddItemsAsync(settings, CancellationToken.None), "creating 10,000 items", TestTimeouts.Process);

        Assert.Equal(10_000, items.Count);
        Assert.All(items, item => Assert.Equal(StatusCodes.Good, item.Status));
        Assert.Equal(10_000, items.Select(item => item.ServerId).Distinct().Count());
        await Eventually.PollAsync(() => handler.HandlesWithAtLeast(2) == 10_000, "two values of each of the 10,000 items", TestTimeouts.Process);
        Assert.Equal(0, subscription.MessagesLost);
    }

    [Fact]
    public async Task UnknownNodeFailsOnlyItsItemAndIsRetried()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var handler = new RecordingHandler();
        var subscription = await client.CreateSubscriptionAsync(Fast, handler, CancellationToken.None).WithTimeout();
        var items = await subscription.AddItemsAsync(
            [new MonitoredItemSettings(new NodeId(1, "NoSuchNode"), 1), new MonitoredItemSettings(new NodeId(1, "Counter"), 2)], CancellationToken.None)
            .WithTimeout();

        Assert.Equal(StatusCodes.BadNodeIdUnknown, items[0].Status);
        Assert.False(items[0].IsCreated);
        Assert.Equal(StatusCodes.Good, items[1].Status);
        Assert.Equal(1, await subscription.RetryFailedItemsAsync(CancellationToken.None).WithTimeout());
        await Eventually.PollAsync(() => handler.ValuesOf(2).Length >= 2, "values of the good item");
    }

    [Fact]
    public async Task ModifiesPausesResumesAndDeletes()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var handler = new RecordingHandler();
        var subscription = await client.CreateSubscriptionAsync(Fast, handler, CancellationToken.None).WithTimeout();
        var items = await subscription.AddItemsAsync([new MonitoredItemSettings(new NodeId(1, "Counter"), 1)], CancellationToken.None).WithTimeout();

        await subscription.ModifyAsync(Fast with { PublishingInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None).WithTimeout();
        Assert.Equal(TimeSpan.FromMilliseconds(200), subscription.PublishingInterval);
        var modified = await subscription.ModifyItemsAsync(items, [items[0].Settings with { SamplingInterval = TimeSpan.FromMilliseconds(200), QueueSize = 5 }], CancellationToken.None)
            .WithTimeout();
        Assert.Equal(StatusCodes.Good, modified[0]);
        Assert.Equal(5u, items[0].RevisedQueueSize);

        await subscription.SetPublishingModeAsync(false, CancellationToken.None).WithTimeout();
        Assert.False(subscription.PublishingEnabled);
        await subscription.SetPublishingModeAsync(true, CancellationToken.None).WithTimeout();
        var before = handler.ValuesOf(1).Length;
        await Eventually.PollAsync(() => handler.ValuesOf(1).Length > before + 1, "values after publishing resumed");

        Assert.Equal(StatusCodes.Good, (await subscription.RemoveItemsAsync(items, CancellationToken.None).WithTimeout())[0]);
        Assert.Empty(subscription.Items);
        await subscription.DeleteAsync(CancellationToken.None).WithTimeout();
        Assert.Empty(client.Subscriptions);

        // The Publish requests still in flight end with BadNoSubscription; the client stays usable.
        var values = new DataValue[1];
        await client.ReadAsync([new NodeId(1, "Counter")], values, CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, values[0].StatusCode);
    }

    /// <summary>
    /// Item 1 has the deadband, item 2 (same node) has none and is the witness: once the witness reported the small
    /// change, item 1 has sampled it too and must not have reported it; the large change reaches both.
    /// </summary>
    private static async Task AssertDeadbandAsync(OpcUaClient client, RecordingHandler handler, NodeId node, double small, double large)
    {
        var initial = handler.NumbersOf(1)[0];
        await WriteAsync(client, node, small);
        await Eventually.PollAsync(() => handler.NumbersOf(2).Contains(small), "the witness reporting the small change");
        await WriteAsync(client, node, large);
        await Eventually.PollAsync(() => handler.NumbersOf(1).Contains(large), "the large change");

        Assert.Equal(new[] { initial, large }, handler.NumbersOf(1));
        Assert.Equal(new[] { initial, small, large }, handler.NumbersOf(2));
    }

    private static async Task WriteAsync(OpcUaClient client, NodeId node, double value)
    {
        var statuses = await client.WriteAsync([node], [DataValue.Of(Variant.FromDouble(value))], CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, statuses[0]);
    }
}
