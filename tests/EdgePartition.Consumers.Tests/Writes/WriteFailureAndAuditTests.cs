using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EdgePartition.Consumers.Tests.Writes;

/// <summary>
/// A write while the device or its collector is down answers 503/504 and is not executed later when they are
/// back; every attempt is one line of the audit file and is counted in /metrics.
/// </summary>
[Collection(WriteCollection.Name)]
public sealed class WriteFailureAndAuditTests(WritePartitionFixture fixture)
{
    [Fact]
    public async Task AWriteWhileTheModbusServerIsDownAnswers503AndIsNotWrittenAfterItsReturn()
    {
        using var writer = fixture.Client("writer");
        await fixture.Meter.StopAsync();
        try
        {
            await WritePartitionFixture.WaitForTagAsync(writer, "meter", "parked", t => t["quality"]!.GetValue<string>() == "bad", "bad while the server is down");
            var response = await writer.PutAsJsonAsync("api/devices/meter/tags/parked", new { value = 555 });
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("deviceDown", body!["result"]!.GetValue<string>());
            Assert.NotNull(response.Headers.RetryAfter);
        }
        finally
        {
            await fixture.Meter.RestartAsync();
        }

        await WritePartitionFixture.WaitForGoodAsync(writer, "meter", "parked");
        var after = await writer.PutAsJsonAsync("api/devices/meter/tags/ratio", new { value = 0.25 });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        // A write done after the server's return has gone through the queue: the refused one would have been before it.
        var parked = await WritePartitionFixture.WaitForGoodAsync(writer, "meter", "parked");
        Assert.Equal(300, parked["value"]!.GetValue<int>());
    }

    [Fact]
    public async Task AWriteWhileTheCollectorIsDeadIsRefusedAndNeverExecutedAfterItsRestart()
    {
        using var writer = fixture.Client("writer");
        await fixture.KillS7CollectorAsync();
        HttpResponseMessage response;
        try
        {
            response = await writer.PutAsJsonAsync("api/devices/plc1/tags/down", new { value = 999 });
        }
        finally
        {
            fixture.StartS7Collector();
        }

        Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"status {response.StatusCode}");
        await Eventually.PollAsync(
            async () => (await writer.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = 5 })).StatusCode,
            status => status == HttpStatusCode.OK, "a write succeeds after the collector's restart");
        var down = await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.DownOffset, 2);
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(down));
    }

    [Fact]
    public async Task EveryAttemptIsOneAuditLineAndCountedInMetrics()
    {
        var before = AuditLines();
        using var writer = fixture.Client("writer");
        using var reader = fixture.Client("reader");
        Assert.Equal(HttpStatusCode.OK, (await writer.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = 321 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = 322 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await writer.PutAsJsonAsync("api/devices/plc1/tags/setpoint", new { value = "x" })).StatusCode);

        var lines = AuditLines();
        Assert.Equal(before.Count + 3, lines.Count);
        var added = lines.Skip(before.Count).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["writer", "reader", "writer"], added.Select(a => a["token"]!.GetValue<string>()));
        Assert.Equal(["done", "forbidden", "badValue"], added.Select(a => a["result"]!.GetValue<string>()));
        Assert.All(added, a =>
        {
            Assert.Equal("plc1", a["device"]!.GetValue<string>());
            Assert.Equal("setpoint", a["tag"]!.GetValue<string>());
            Assert.StartsWith("127.0.0.1:", a["client"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotNull(a["time"]);
            Assert.NotNull(a["latencyMs"]);
        });
        Assert.Equal(321, added[0]["value"]!.GetValue<int>());
        Assert.NotNull(added[0]["previous"]);
        Assert.DoesNotContain(fixture.Secret("writer"), string.Join('\n', lines), StringComparison.Ordinal);

        var metrics = await reader.GetStringAsync("metrics");
        Assert.Contains("edgepart_operator_writes_total{result=\"done\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("edgepart_operator_writes_total{result=\"forbidden\"}", metrics, StringComparison.Ordinal);

        var recent = await reader.GetFromJsonAsync<JsonArray>("api/writes/recent");
        Assert.Equal("badValue", recent![0]!["result"]!.GetValue<string>());
    }

    private List<string> AuditLines()
    {
        using var stream = new FileStream(fixture.AuditFile, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        using var text = new StreamReader(stream);
        return text.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
