using System.Net;
using System.Text.Json;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Tests;

public sealed class StatusApiTests
{
    [Fact]
    public async Task StatusShowsEveryDeviceWithCountersAndTheSync()
    {
        await using var partition = await TestPartition.StartAsync();
        partition.Commit("plc1", w =>
        {
            ref var status = ref w.Status;
            status.ReadsFailed = 3;
            status.Reconnects = 2;
            status.SetLastError("connection reset by peer");
        });
        partition.Commit("sync", w => w.SetUInt32(w.Layout.IndexOf("heartbeat"), 41));

        var status = await PollAsync(partition, "/api/status", s =>
            Device(s, "plc1").GetProperty("status").GetProperty("readsFailed").GetInt64() == 3 &&
            s.GetProperty("sync").GetProperty("heartbeat").ValueKind == JsonValueKind.Number &&
            s.GetProperty("sync").GetProperty("heartbeat").GetInt64() == 41);

        Assert.Equal(partition.Name, status.GetProperty("partition").GetString());
        Assert.Equal(2, status.GetProperty("devices").GetArrayLength());
        var plc1 = Device(status, "plc1");
        Assert.Equal("s7", plc1.GetProperty("protocol").GetString());
        var s1 = plc1.GetProperty("status");
        Assert.True(s1.GetProperty("present").GetBoolean());
        Assert.Equal("alive", s1.GetProperty("liveness").GetString());
        Assert.Equal("connected", s1.GetProperty("connection").GetString());
        Assert.Equal("127.0.0.1:10102", s1.GetProperty("endpoint").GetString());
        Assert.Equal("connection reset by peer", s1.GetProperty("lastError").GetString());
        Assert.Equal(2, s1.GetProperty("reconnects").GetInt64());
        Assert.Equal(2.0, s1.GetProperty("cycleLastMs").GetDouble());
        Assert.Equal(9.0, s1.GetProperty("cycleMaxMs").GetDouble());
        Assert.True(s1.GetProperty("heartbeatAgeMs").GetDouble() >= 0);
        Assert.Equal(Environment.ProcessId, s1.GetProperty("pid").GetInt32());

        var sync = status.GetProperty("sync");
        Assert.Equal("start", sync.GetProperty("requests")[0].GetProperty("pair").GetString());
        Assert.Equal(0, status.GetProperty("feed").GetProperty("clients").GetInt32());
    }

    [Fact]
    public async Task SyncShowsTheRequestTableAndAliveFlags()
    {
        await using var partition = await TestPartition.StartAsync();
        var requested = UnixTime.NowNs();
        partition.Commit("sync", w =>
        {
            w.SetUInt8(w.Layout.IndexOf("request.start.state"), 1);
            w.SetDateTime(w.Layout.IndexOf("request.start.requested_at"), requested);
            w.SetUInt64(w.Layout.IndexOf("request.start.served"), 7);
            w.SetUInt64(w.Layout.IndexOf("request.start.timed_out"), 1);
            w.SetBool(w.Layout.IndexOf("alive.plc1"), true);
            w.SetBool(w.Layout.IndexOf("alive.plc2"), false);
            w.SetDateTime(w.Layout.IndexOf("stale_since.plc2"), requested);
        });

        var sync = await PollAsync(partition, "/api/sync", s => s.GetProperty("requests")[0].GetProperty("state").GetString() == "requested");
        var request = sync.GetProperty("requests")[0];
        Assert.True(request.GetProperty("pending").GetBoolean());
        Assert.Equal(7, request.GetProperty("served").GetInt64());
        Assert.Equal(1, request.GetProperty("timedOut").GetInt64());
        Assert.Equal(UnixTime.FromNs(requested), request.GetProperty("requestedAt").GetDateTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(JsonValueKind.Null, request.GetProperty("executedAt").ValueKind);

        var status = await PollAsync(partition, "/api/status", s => Device(s, "plc2").GetProperty("status").GetProperty("alive").ValueKind == JsonValueKind.False);
        Assert.True(Device(status, "plc1").GetProperty("status").GetProperty("alive").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, Device(status, "plc2").GetProperty("status").GetProperty("staleSince").ValueKind);
    }

    [Fact]
    public async Task DeviceTagsCarryValueQualityAndSourceTime()
    {
        await using var partition = await TestPartition.StartAsync();
        var ts = UnixTime.NowNs();
        partition.Commit("plc1", w =>
        {
            var layout = w.Layout;
            w.SetInt32(layout.IndexOf("counter"), 1234);
            w.SetSample(layout.IndexOf("counter"), IpcQuality.Good, ts);
            w.SetFloat32(layout.IndexOf("speed"), 12.5f);
            w.SetSample(layout.IndexOf("speed"), IpcQuality.BadNotConnected, ts);
            w.SetString(layout.IndexOf("recipe"), "Brötchen");
            w.SetInt16(layout.IndexOf("levels"), 2, (short)-7);
        });

        var tags = await PollAsync(partition, "/api/devices/plc1/tags", t => Tag(t, "counter").GetProperty("value").GetInt32() == 1234);
        var counter = Tag(tags, "counter");
        Assert.Equal("good", counter.GetProperty("quality").GetString());
        Assert.Equal("int32", counter.GetProperty("type").GetString());
        Assert.Equal("DB1.DBD0", counter.GetProperty("address").GetString());
        Assert.Equal(UnixTime.FromNs(ts), counter.GetProperty("ts").GetDateTime(), TimeSpan.FromMilliseconds(1));
        var speed = Tag(tags, "speed");
        Assert.Equal(12.5, speed.GetProperty("value").GetDouble());
        Assert.Equal("bad", speed.GetProperty("quality").GetString());
        Assert.Equal("BadNotConnected", speed.GetProperty("qualityCode").GetString());
        Assert.Equal("Brötchen", Tag(tags, "recipe").GetProperty("value").GetString());
        Assert.True(Tag(tags, "recipe").GetProperty("writable").GetBoolean());
        Assert.Equal([0, 0, -7, 0], Tag(tags, "levels").GetProperty("value").EnumerateArray().Select(e => e.GetInt32()));

        using var client = partition.Client();
        var single = await HttpAssert.JsonAsync(await client.GetAsync("/api/devices/plc1/tags/counter"), HttpStatusCode.OK);
        Assert.Equal(1234, single.GetProperty("value").GetInt32());
        var device = await HttpAssert.JsonAsync(await client.GetAsync("/api/devices/plc1"), HttpStatusCode.OK);
        Assert.Equal(TestPartition.DeviceTags.Length, device.GetProperty("tagCount").GetInt32());
    }

    [Theory]
    [InlineData("counter", new[] { "counter" })]
    [InlineData("*e*", new[] { "counter", "speed", "recipe", "levels", "heartbeat" })]
    [InlineData("count?r,run*", new[] { "counter", "running" })]
    [InlineData("nothing*", new string[0])]
    public async Task TagListIsFilteredByNamePattern(string pattern, string[] expected)
    {
        await using var partition = await TestPartition.StartAsync();
        using var client = partition.Client();
        var tags = await HttpAssert.JsonAsync(await client.GetAsync($"/api/devices/plc1/tags?name={Uri.EscapeDataString(pattern)}"), HttpStatusCode.OK);
        Assert.Equal(expected, tags.EnumerateArray().Select(t => t.GetProperty("tag").GetString()));
    }

    [Theory]
    [InlineData("/api/devices/nosuch")]
    [InlineData("/api/devices/nosuch/tags")]
    [InlineData("/api/devices/plc1/tags/nosuch")]
    [InlineData("/api/nosuch")]
    public async Task UnknownDeviceOrTagIs404WithJsonError(string path)
    {
        await using var partition = await TestPartition.StartAsync();
        using var client = partition.Client();
        var error = await HttpAssert.JsonAsync(await client.GetAsync(path), HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("/api/devices/plc1/tags?name=a%01b")]
    [InlineData("/api/devices/plc1/tags?nme=counter")]
    [InlineData("/api/devices/plc1/tags?name=a&name=b")]
    [InlineData("/api/status?verbose=1")]
    [InlineData("/ws?devices=%00")]
    public async Task BadQueryIs400WithJsonError(string path)
    {
        await using var partition = await TestPartition.StartAsync();
        using var client = partition.Client();
        var error = await HttpAssert.JsonAsync(await client.GetAsync(path), HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("POST", "/api/devices/plc1/tags/recipe")]
    [InlineData("PUT", "/api/devices/plc1/tags/recipe")]
    [InlineData("DELETE", "/api/devices/plc1")]
    [InlineData("POST", "/api/status")]
    public async Task NoRequestCanWriteToASegment(string method, string path)
    {
        await using var partition = await TestPartition.StartAsync();
        using var client = partition.Client();
        var before = partition.Writer("plc1").CommitCount;
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("\"x\"") };
        using var response = await client.SendAsync(request);
        // PUT on a tag is the operator write route (Writes/): a body that is not {"value":…} is refused with 400.
        Assert.True((int)response.StatusCode is 400 or 404 or 405, $"{method} {path} gave {(int)response.StatusCode}");
        var recipe = await HttpAssert.JsonAsync(await client.GetAsync("/api/devices/plc1/tags/recipe"), HttpStatusCode.OK);
        Assert.Equal("", recipe.GetProperty("value").GetString());
        Assert.Equal(before, partition.Writer("plc1").CommitCount);
    }

    [Fact]
    public async Task DeviceWithoutSegmentIsShownAbsentAndHealthzFails()
    {
        await using var partition = await TestPartition.StartAsync(withSegments: ["plc1", "sync"]);
        var status = await PollAsync(partition, "/api/status", s => Device(s, "plc2").GetProperty("status").TryGetProperty("problem", out _));
        var plc2 = Device(status, "plc2").GetProperty("status");
        Assert.False(plc2.GetProperty("present").GetBoolean());
        Assert.Equal("absent", plc2.GetProperty("liveness").GetString());
        Assert.Contains("collector", plc2.GetProperty("problem").GetString());

        using var client = partition.Client();
        var health = await HttpAssert.JsonAsync(await client.GetAsync("/healthz"), HttpStatusCode.ServiceUnavailable);
        Assert.False(health.GetProperty("healthy").GetBoolean());
        var notFound = await HttpAssert.JsonAsync(await client.GetAsync("/api/devices/plc2/tags"), HttpStatusCode.NotFound);
        Assert.Contains("collector", notFound.GetProperty("error").GetString());
    }

    [Fact]
    public async Task HealthzIsOkWhileEveryWriterLivesAndFailsWhenOneStops()
    {
        await using var partition = await TestPartition.StartAsync();
        using var client = partition.Client();
        var health = await PollHealthAsync(client, HttpStatusCode.OK);
        Assert.True(health.GetProperty("healthy").GetBoolean());
        Assert.Equal(3, health.GetProperty("processes").GetArrayLength());

        partition.StopWriter("plc2");
        health = await PollHealthAsync(client, HttpStatusCode.ServiceUnavailable);
        var plc2 = health.GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "plc2");
        Assert.False(plc2.GetProperty("healthy").GetBoolean());
        Assert.Contains("stopped", plc2.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task ReattachesWhenAWriterRestarts()
    {
        await using var partition = await TestPartition.StartAsync();
        partition.StopWriter("plc1");
        await PollAsync(partition, "/api/devices/plc1", d => d.GetProperty("status").GetProperty("liveness").GetString() == "stopped");
        partition.StartWriter("plc1");
        partition.Commit("plc1", w => w.SetInt32(w.Layout.IndexOf("counter"), 99));
        await PollAsync(partition, "/api/devices/plc1/tags/counter", t => t.GetProperty("value").GetInt32() == 99);
        await PollAsync(partition, "/api/devices/plc1", d => d.GetProperty("status").GetProperty("liveness").GetString() == "alive");
    }

    internal static JsonElement Device(JsonElement status, string name) =>
        status.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);

    internal static JsonElement Tag(JsonElement tags, string name) =>
        tags.EnumerateArray().Single(t => t.GetProperty("tag").GetString() == name);

    /// <summary>GETs <paramref name="path"/> until <paramref name="done"/> holds; the watcher publishes asynchronously.</summary>
    internal static async Task<JsonElement> PollAsync(TestPartition partition, string path, Func<JsonElement, bool> done)
    {
        using var client = partition.Client();
        return await Eventually.PollAsync(
            async () => await HttpAssert.JsonAsync(await client.GetAsync(path), HttpStatusCode.OK),
            last =>
            {
                try
                {
                    return done(last);
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
                {
                    return false; // not there yet
                }
            },
            $"{path} reaching the expected state");
    }

    private static async Task<JsonElement> PollHealthAsync(HttpClient client, HttpStatusCode expected)
    {
        await Eventually.PollAsync(
            async () =>
            {
                using var response = await client.GetAsync("/healthz");
                return response.StatusCode;
            },
            status => status == expected,
            $"/healthz answering {(int)expected}");
        using var settled = await client.GetAsync("/healthz");
        return await HttpAssert.JsonAsync(settled, expected);
    }
}
