using System.Net;
using System.Text.Json.Nodes;
using EdgePartition.S7.Server;
using EdgePartition.Testing.Peers;

namespace EdgePartition.S7.Tests;

public sealed class ServerAgainstSnap7ClientTests
{
    private static async Task<S7Server> StartServerAsync(Action<S7Server> setup)
    {
        var server = new S7Server();
        setup(server);
        server.Start(IPAddress.Loopback, 0);
        return server;
    }

    [Fact]
    public async Task Snap7ClientReadsAndWritesADb()
    {
        var db = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        await using var server = await StartServerAsync(s => s.RegisterArea(S7Area.DB, 5, db));
        var report = await Snap7ClientProcess.RunAsync(server.Port,
        [
            Snap7ClientProcess.Pdu(),
            Snap7ClientProcess.DbRead(5, 10, 4),
            Snap7ClientProcess.DbWrite(5, 100, [0xCA, 0xFE]),
            Snap7ClientProcess.DbRead(5, 0, 300),
            Snap7ClientProcess.DbRead(6, 0, 4),
        ], cancellationToken: TestTimeouts.Token());

        Assert.True(report["connected"]!.GetValue<bool>(), report.ToJsonString());
        var results = report["results"]!.AsArray();
        Assert.True(results[0]!["pdu"]!.GetValue<int>() >= 240);
        Assert.Equal("0A0B0C0D", Hex(results[1]));
        Assert.True(results[2]!["ok"]!.GetValue<bool>(), results[2]!.ToJsonString());
        Assert.Equal(new byte[] { 0xCA, 0xFE }, db[100..102]);
        var whole = Convert.FromHexString(Hex(results[3]));
        Assert.Equal(db, whole);
        Assert.False(results[4]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Snap7ClientMultiVarReadSpansAreas()
    {
        await using var server = await StartServerAsync(s =>
        {
            s.RegisterArea(S7Area.DB, 1, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
            s.RegisterArea(S7Area.M, 0, new byte[] { 0x10, 0x20, 0x30 });
            s.RegisterArea(S7Area.I, 0, new byte[] { 0xAA });
            s.RegisterArea(S7Area.C, 0, new byte[] { 0x00, 0x05, 0x00, 0x07 });
        });
        var report = await Snap7ClientProcess.RunAsync(server.Port,
        [
            Snap7ClientProcess.ReadMulti(("DB", 1, 2, 3), ("MK", 0, 1, 2), ("PE", 0, 0, 1), ("CT", 0, 1, 1), ("DB", 9, 0, 1)),
        ], cancellationToken: TestTimeouts.Token());

        Assert.True(report["connected"]!.GetValue<bool>(), report.ToJsonString());
        var items = report["results"]![0]!["items"]!.AsArray();
        Assert.Equal("030405", items[0]!["hex"]!.GetValue<string>().ToUpperInvariant());
        Assert.Equal("2030", items[1]!["hex"]!.GetValue<string>());
        Assert.Equal("aa", items[2]!["hex"]!.GetValue<string>());
        Assert.Equal("0007", items[3]!["hex"]!.GetValue<string>());
        Assert.NotEqual(0, items[4]!["result"]!.GetValue<int>());
    }

    [Fact]
    public async Task Snap7ClientSeesTheCpuStatus()
    {
        await using var server = await StartServerAsync(s => s.RegisterArea(S7Area.DB, 1, 4));
        var running = await Snap7ClientProcess.RunAsync(server.Port, [new { op = "cpuStatus" }], cancellationToken: TestTimeouts.Token());
        server.CpuStatus = S7CpuStatus.Stop;
        var stopped = await Snap7ClientProcess.RunAsync(server.Port, [new { op = "cpuStatus" }], cancellationToken: TestTimeouts.Token());

        Assert.Equal((int)S7CpuStatus.Run, running["results"]![0]!["status"]!.GetValue<int>());
        Assert.Equal((int)S7CpuStatus.Stop, stopped["results"]![0]!["status"]!.GetValue<int>());
    }

    private static string Hex(JsonNode? result)
    {
        Assert.True(result!["ok"]!.GetValue<bool>(), result.ToJsonString());
        return result["hex"]!.GetValue<string>().ToUpperInvariant();
    }
}
