using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EdgePartition.Consumers.Tests.Writes;

/// <summary>
/// Writes from HTTP and the feed reach a snap7 PLC and a pymodbus server through the collectors' write queues, and
/// come back as the value read from the device; every refusal answers with its status and writes nothing.
/// </summary>
[Collection(WriteCollection.Name)]
public sealed class OperatorWriteTests(WritePartitionFixture fixture)
{
    [Fact]
    public async Task HttpWriteLandsInTheSnap7PlcAndComesBackAsTheReadValue()
    {
        using var writer = fixture.Client("writer");
        var response = await writer.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = 1234 });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", body!["result"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["requestId"]!.GetValue<string>()));
        Assert.NotNull(body["done"]);

        var plc = await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.SetpointOffset, 2);
        Assert.Equal(1234, BinaryPrimitives.ReadInt16BigEndian(plc));
        await WritePartitionFixture.WaitForTagAsync(writer, "plc1", "setpoint", t => t["value"]!.GetValue<int>() == 1234, "reads 1234");
    }

    [Fact]
    public async Task ABitWriteTouchesOnlyItsBit()
    {
        await fixture.Plc.WriteDbAsync(WritePartitionFixture.Db, WritePartitionFixture.FlagsByte, new byte[] { 0b1111_0111 });
        using var writer = fixture.Client("writer");

        var set = await writer.PutAsJsonAsync("api/devices/plc1/tags/flag3", new { value = true });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(0b1111_1111, (await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.FlagsByte, 1))[0]);

        await fixture.Plc.WriteDbAsync(WritePartitionFixture.Db, WritePartitionFixture.FlagsByte, new byte[] { 0b0000_1000 });
        var clear = await writer.PutAsJsonAsync("api/devices/plc1/tags/flag3", new { value = false });
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        Assert.Equal(0, (await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.FlagsByte, 1))[0]);
    }

    [Fact]
    public async Task ArrayWritesWholeOrOneElementAndStringsAndBatches()
    {
        using var writer = fixture.Client("writer");
        var whole = await writer.PutAsJsonAsync("api/devices/plc1/tags/levels", new { value = new[] { 1, 2, 3, 4 } });
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var element = await writer.PutAsJsonAsync("api/devices/plc1/tags/levels", new { value = -30, index = 2 });
        Assert.Equal(HttpStatusCode.OK, element.StatusCode);
        var levels = await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.LevelsOffset, 8);
        Assert.Equal([1, 2, -30, 4], Enumerable.Range(0, 4).Select(i => (int)BinaryPrimitives.ReadInt16BigEndian(levels.AsSpan(i * 2))));

        var batch = await writer.PostAsJsonAsync("api/devices/plc1/write", new
        {
            writes = new object[] { new { tag = "speed", value = 12.5 }, new { tag = "name", value = "batch-7" } },
        });
        var body = await batch.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.All(body!["results"]!.AsArray(), r => Assert.Equal("done", r!["result"]!.GetValue<string>()));
        var speed = await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.SpeedOffset, 4);
        Assert.Equal(12.5f, BinaryPrimitives.ReadSingleBigEndian(speed));
        await WritePartitionFixture.WaitForTagAsync(writer, "plc1", "name", t => t["value"]!.GetValue<string>() == "batch-7", "reads batch-7");
    }

    [Fact]
    public async Task FeedWriteLandsInThePymodbusServerAndComesBackAsTheReadValue()
    {
        await using var feed = await FeedWriter.ConnectAsync(fixture.BaseAddress, fixture.Secret("writer"));
        var result = await feed.WriteAsync("w1", "meter", "setpoint", 4321);
        Assert.Equal("done", result["result"]!.GetValue<string>());
        Assert.Equal("meter", result["device"]!.GetValue<string>());

        var coil = await feed.WriteAsync("w2", "meter", "coils", true, index: 1);
        Assert.Equal("done", coil["result"]!.GetValue<string>());

        using var reader = fixture.Client("reader");
        await WritePartitionFixture.WaitForTagAsync(reader, "meter", "setpoint", t => t["value"]!.GetValue<int>() == 4321, "reads 4321");
        var coils = await WritePartitionFixture.WaitForTagAsync(reader, "meter", "coils", t => t["value"]![1]!.GetValue<bool>(), "coil 1 on");
        // The other coils are as the server had them (coil i is on when i % 3 == 0): one bit was written.
        Assert.Equal([true, true, false, true], coils["value"]!.AsArray().Take(4).Select(c => c!.GetValue<bool>()));

        var refused = await feed.WriteAsync("w3", "meter", "setpoint", 70000);
        Assert.Equal("badValue", refused["result"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("writer", "plc1", "readonly", 1, HttpStatusCode.Conflict, "notWritable")]
    [InlineData("writer", "plc1", "setpoint", 40000, HttpStatusCode.BadRequest, "badValue")]
    [InlineData("writer", "plc1", "nosuchtag", 1, HttpStatusCode.NotFound, "notFound")]
    [InlineData("writer", "nosuchdevice", "setpoint", 1, HttpStatusCode.NotFound, "notFound")]
    [InlineData("reader", "plc1", "limited", 1, HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("scoped", "plc1", "limited", 1, HttpStatusCode.Forbidden, "forbidden")]
    public async Task RefusedWritesAnswerTheirStatusAndWriteNothing(string token, string device, string tag, int value, HttpStatusCode status, string result)
    {
        var before = await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.LimitedOffset, 2);
        using var client = fixture.Client(token);
        var response = await client.PutAsJsonAsync($"api/devices/{device}/tags/{tag}", new { value });
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(result, body!["result"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));

        Assert.Equal(before, await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.LimitedOffset, 2));
    }

    [Fact]
    public async Task AScopedTokenWritesInsideItsScope()
    {
        using var scoped = fixture.Client("scoped");
        var response = await scoped.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = 77 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MalformedBodiesAndUnknownTokensAreRefused()
    {
        using var writer = fixture.Client("writer");
        var noValue = await writer.PutAsync("api/devices/plc1/tags/setpoint", new StringContent("{\"val\":1}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, noValue.StatusCode);
        var notJson = await writer.PutAsync("api/devices/plc1/tags/setpoint", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        using var anonymous = fixture.Client(null);
        var unauthenticated = await anonymous.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task AReadOnlyTokenCannotWriteOnTheFeed()
    {
        await using var feed = await FeedWriter.ConnectAsync(fixture.BaseAddress, fixture.Secret("reader"));
        var result = await feed.WriteAsync("r1", "plc1", "setpoint", 5);
        Assert.Equal("forbidden", result["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWriteMessageWithoutIdClosesTheFeed()
    {
        await using var feed = await FeedWriter.ConnectAsync(fixture.BaseAddress, fixture.Secret("writer"));
        await feed.SendRawAsync("{\"type\":\"write\",\"device\":\"plc1\",\"tag\":\"setpoint\",\"value\":1}");
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, await feed.WaitForCloseAsync());
    }

    [Fact]
    public async Task ARunawayTokenIsRateLimited()
    {
        using var burst = fixture.Client("burst");

        // Bad values: refused at the value check, after the rate limit, so the device sees none of them.
        var responses = await Task.WhenAll(Enumerable.Range(0, WritePartitionFixture.WritesPerSecond * 3)
            .Select(_ => burst.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = "not a number" })));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.BadRequest);
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests), r => Assert.NotNull(r.Headers.RetryAfter));
    }
}

[CollectionDefinition(Name)]
public sealed class WriteCollection : ICollectionFixture<WritePartitionFixture>
{
    public const string Name = "writes with real peers";
}
