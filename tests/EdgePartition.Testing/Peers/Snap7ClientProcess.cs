using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgePartition.Testing.Peers;

/// <summary>
/// Runs snap7's own S7Client (tests/peers/s7/snap7-client.js) once against a loopback server and returns its JSON
/// report: <c>{ connected, results: [{ ok, hex | items | error }] }</c>. Operations are described in the script.
/// </summary>
public static class Snap7ClientProcess
{
    public static async Task<JsonObject> RunAsync(int port, IEnumerable<object> operations, int rack = 0, int slot = 1,
        CancellationToken cancellationToken = default)
    {
        Snap7Peer.EnsureInstalled();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Snap7Peer.Directory,
        };
        start.ArgumentList.Add(Snap7Peer.ClientScript);
        start.ArgumentList.Add(JsonSerializer.Serialize(new { port, rack, slot, ops = operations }));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestTimeouts.Default);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var text = await output;
            var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                ?? throw new InvalidOperationException($"snap7 client printed nothing: {await error}");
            return JsonNode.Parse(line)?.AsObject() ?? throw new InvalidOperationException($"snap7 client output is not JSON: {line}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Builds a dbRead operation.</summary>
    public static object DbRead(int db, int start, int size) => new { op = "dbRead", db, start, size };

    public static object DbWrite(int db, int start, ReadOnlySpan<byte> data) => new { op = "dbWrite", db, start, hex = Convert.ToHexString(data) };

    /// <summary>Builds a readMulti operation of (area, db, start, amount) items.</summary>
    public static object ReadMulti(params (string Area, int Db, int Start, int Amount)[] items) =>
        new { op = "readMulti", items = items.Select(i => new { area = i.Area, db = i.Db, start = i.Start, amount = i.Amount }).ToArray() };

    public static object Pdu() => new { op = "pdu" };

    public static string Describe(JsonObject report)
    {
        var text = new StringBuilder();
        text.Append(report.ToJsonString());
        return text.ToString();
    }
}
