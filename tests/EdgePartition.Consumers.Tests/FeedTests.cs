using System.Net.WebSockets;
using System.Text.Json;
using EdgePartition.Consumers.Feed;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Tests;

public sealed class FeedTests
{
    [Fact]
    public async Task SendsASnapshotThenEachCommittedChange()
    {
        await using var partition = await TestPartition.StartAsync();
        await using var feed = await FeedTestClient.ConnectAsync(partition);

        var snapshot = await feed.WaitForAsync(m => FeedTestClient.Type(m) == "snapshot" && m.GetProperty("devices").GetArrayLength() == 2 &&
            m.GetProperty("devices")[0].GetProperty("status").GetProperty("present").GetBoolean());
        Assert.Equal(partition.Name, snapshot.GetProperty("partition").GetString());
        Assert.Equal(TestPartition.DeviceTags.Length, snapshot.GetProperty("devices")[0].GetProperty("tags").GetArrayLength());
        Assert.Equal("sync", snapshot.GetProperty("sync").GetProperty("name").GetString());

        var ts = UnixTime.NowNs();
        partition.Commit("plc1", w =>
        {
            w.SetInt32(w.Layout.IndexOf("counter"), 77);
            w.SetSample(w.Layout.IndexOf("counter"), IpcQuality.Good, ts);
        });

        var change = await feed.WaitForAsync(m => FeedTestClient.Type(m) == "change" && m.GetProperty("tag").GetString() == "counter" &&
            m.GetProperty("value").GetInt32() == 77);
        Assert.Equal("plc1", change.GetProperty("device").GetString());
        Assert.Equal("good", change.GetProperty("quality").GetString());
        Assert.Equal(UnixTime.FromNs(ts), change.GetProperty("ts").GetDateTime(), TimeSpan.FromMilliseconds(1));

        var status = await feed.WaitForAsync(m => FeedTestClient.Type(m) == "status" && m.GetProperty("device").GetString() == "plc1");
        Assert.Equal("connected", status.GetProperty("status").GetProperty("connection").GetString());
    }

    [Fact]
    public async Task QueryPatternsSelectDevicesAndTags()
    {
        await using var partition = await TestPartition.StartAsync();
        await using var feed = await FeedTestClient.ConnectAsync(partition, "/ws?devices=plc2&tags=speed,count*");
        var snapshot = await feed.WaitForAsync(m => FeedTestClient.Type(m) == "snapshot" && m.GetProperty("devices").GetArrayLength() == 1 &&
            m.GetProperty("devices")[0].GetProperty("tags").GetArrayLength() == 2);
        Assert.Equal("plc2", snapshot.GetProperty("devices")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, snapshot.GetProperty("sync").ValueKind);

        partition.Commit("plc1", w => w.SetInt32(w.Layout.IndexOf("counter"), 1));
        partition.Commit("plc2", w => w.SetBool(w.Layout.IndexOf("running"), true));
        partition.Commit("plc2", w => w.SetInt32(w.Layout.IndexOf("counter"), 2));

        // Messages arrive in commit order: nothing of plc1 and no "running" can come before plc2's counter.
        var first = await feed.WaitForAsync(m => FeedTestClient.Type(m) == "change");
        Assert.Equal("plc2", first.GetProperty("device").GetString());
        Assert.Equal("counter", first.GetProperty("tag").GetString());
        Assert.Equal(2, first.GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task SubscribeMessageReplacesTheFilterAndResendsASnapshot()
    {
        await using var partition = await TestPartition.StartAsync();
        await using var feed = await FeedTestClient.ConnectAsync(partition, "/ws?devices=plc1");
        await feed.WaitForAsync(m => FeedTestClient.Type(m) == "snapshot");

        await feed.SendTextAsync("""{"type":"subscribe","devices":["sync"],"tags":"request.*"}""");
        var snapshot = await feed.WaitForAsync(m => FeedTestClient.Type(m) == "snapshot" && m.GetProperty("devices").GetArrayLength() == 0);
        Assert.Equal(6, snapshot.GetProperty("sync").GetProperty("tags").GetArrayLength());

        partition.Commit("plc1", w => w.SetInt32(w.Layout.IndexOf("counter"), 5));
        partition.Commit("sync", w => w.SetUInt8(w.Layout.IndexOf("request.start.state"), 2));
        var change = await feed.WaitForAsync(m => FeedTestClient.Type(m) == "change");
        Assert.Equal("sync", change.GetProperty("device").GetString());
        Assert.Equal("request.start.state", change.GetProperty("tag").GetString());
        Assert.Equal(2, change.GetProperty("value").GetInt32());
    }

    [Theory]
    [InlineData("not json", WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData("[1,2]", WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData("""{"type":"write","tag":"recipe","value":"x"}""", WebSocketCloseStatus.PolicyViolation)]
    [InlineData("""{"type":"subscribe","tags":"a\u0001"}""", WebSocketCloseStatus.PolicyViolation)]
    [InlineData("""{"type":"subscribe","tags":{"a":1}}""", WebSocketCloseStatus.InvalidPayloadData)]
    public async Task MalformedMessageClosesThatClientWithAReasonAndTheServerGoesOn(string message, WebSocketCloseStatus expected)
    {
        await using var partition = await TestPartition.StartAsync();
        await using var bystander = await FeedTestClient.ConnectAsync(partition);
        await bystander.WaitForAsync(m => FeedTestClient.Type(m) == "snapshot");
        await using var bad = await FeedTestClient.ConnectAsync(partition);

        await bad.SendTextAsync(message);
        var (status, reason) = await bad.WaitForCloseAsync();
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(reason));

        partition.Commit("plc1", w => w.SetInt32(w.Layout.IndexOf("counter"), 31));
        var change = await bystander.WaitForAsync(m => FeedTestClient.Type(m) == "change" && m.GetProperty("tag").GetString() == "counter");
        Assert.Equal(31, change.GetProperty("value").GetInt32());
        Assert.Equal(31, (await StatusApiTests.PollAsync(partition, "/api/devices/plc1/tags/counter", _ => true)).GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task OversizedMessageClosesWithMessageTooBig()
    {
        await using var partition = await TestPartition.StartAsync();
        await using var bad = await FeedTestClient.ConnectAsync(partition);
        await bad.SendTextAsync("{\"type\":\"subscribe\",\"tags\":\"" + new string('a', 10_000) + "\"}");
        var (status, reason) = await bad.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Contains("larger than", reason);
    }

    [Fact]
    public async Task MessageThatNeverEndsClosesWithMessageTooBigOnceItPassesTheLimit()
    {
        await using var partition = await TestPartition.StartAsync();
        await using var bad = await FeedTestClient.ConnectAsync(partition);

        // Continuation frames without FIN, up to 64 MiB (bounded): the server must close long before the end.
        using var stopSending = new CancellationTokenSource();
        var fragment = new byte[64 * 1024];
        fragment.AsSpan().Fill((byte)'a');
        var sending = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 1024 && !stopSending.IsCancellationRequested; i++)
                {
                    await bad.Socket.SendAsync(fragment, WebSocketMessageType.Text, endOfMessage: false, stopSending.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The server closed and then dropped the connection: the point of the test.
            }
        });

        var (status, reason) = await bad.WaitForCloseAsync();
        await stopSending.CancelAsync();
        await sending.WaitAsync(TestTimeouts.Default);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Contains("larger than", reason);
    }

    [Fact]
    public async Task BinaryMessageClosesWithInvalidMessageType()
    {
        await using var partition = await TestPartition.StartAsync();
        await using var bad = await FeedTestClient.ConnectAsync(partition);
        await bad.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        var (status, _) = await bad.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
    }

    [Fact]
    public async Task ClientThatReadsNothingHasItsChangesCoalescedAndCounted()
    {
        await using var partition = await TestPartition.StartAsync();
        await using var stalled = await FeedTestClient.ConnectStalledAsync(partition);
        await using var reader = await FeedTestClient.ConnectAsync(partition);
        await reader.WaitForAsync(m => FeedTestClient.Type(m) == "snapshot");

        // Keep writing until the stalled client's socket is full and the server coalesces instead of buffering: how
        // many commits that takes depends on how many of them the watcher sees, so the loop asks the metrics.
        var bulk = new string('x', 15);
        var counter = 0;
        var metrics = "";
        for (var batch = 0; batch < 200 && !(MetricsTests.Value(metrics, "edgepart_ws_dropped_total") > 0); batch++)
        {
            for (var n = 0; n < 500; n++)
            {
                var value = ++counter;
                partition.Commit("plc1", w =>
                {
                    w.SetInt32(w.Layout.IndexOf("counter"), value);
                    w.SetString(w.Layout.IndexOf("recipe"), bulk.AsSpan(0, value % 15));
                });
                if (n % 50 == 0)
                {
                    // Let the watcher take snapshots between commits, as it would from a collector's poll cycles.
                    await Task.Yield();
                }
            }

            metrics = await MetricsTests.PollMetricsAsync(partition, _ => true);
        }

        Assert.True(MetricsTests.Value(metrics, "edgepart_ws_dropped_total") > 0, metrics);

        // The client that reads keeps getting the newest values whatever the stalled one does.
        var last = await reader.WaitForAsync(m => FeedTestClient.Type(m) == "change" && m.GetProperty("tag").GetString() == "counter" &&
            m.GetProperty("value").GetInt32() == counter);
        Assert.Equal("plc1", last.GetProperty("device").GetString());

        Assert.Equal(2, MetricsTests.Value(metrics, "edgepart_ws_clients"));
    }

    [Fact]
    public void PendingSlotsKeepOnlyTheLatestValuePerTag()
    {
        var client = new FeedClient(sourceCount: 1, Subscription.All);
        var layout = SegmentLayout.Create(TestPartition.DeviceTags);
        for (var i = 0; i < 1000; i++)
        {
            client.Offer(0, "plc1", layout, [new TagChange(0, [(byte)'1']), new TagChange(1, [(byte)'2'])], status: [(byte)'3']);
        }

        using var frame = new FeedFrame();
        Assert.Equal(3, client.Drain(frame, maxBytes: 1 << 20));
        Assert.Equal(3 * 999, client.Coalesced);
        Assert.Equal("[1,2,3]", System.Text.Encoding.UTF8.GetString(frame.Complete().Span));
        frame.Reset();
        Assert.Equal(0, client.Drain(frame, maxBytes: 1 << 20));
    }

    [Fact]
    public void FrameIsSplitAtTheByteLimit()
    {
        var client = new FeedClient(sourceCount: 1, Subscription.All);
        var layout = SegmentLayout.Create(TestPartition.DeviceTags);
        client.Offer(0, "plc1", layout, [new TagChange(0, new byte[600]), new TagChange(1, new byte[600]), new TagChange(2, new byte[600])], null);
        using var frame = new FeedFrame();
        Assert.Equal(1, client.Drain(frame, maxBytes: 1000));
        frame.Reset();
        Assert.Equal(1, client.Drain(frame, maxBytes: 1000));
        frame.Reset();
        Assert.Equal(1, client.Drain(frame, maxBytes: 1000));
    }
}
