using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgePartition.Testing.Peers;

/// <summary>Runs pymodbus's client (tests/peers/modbus/modbus_endpoint_client.py) once and returns its JSON report.</summary>
public static class PymodbusClientProcess
{
    private static string Script => Path.Combine(RepoPaths.PeersDirectory, "modbus", "modbus_endpoint_client.py");

    public static async Task<JsonObject> RunAsync(int port, IEnumerable<object> operations)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(JsonSerializer.Serialize(new { port, ops = operations }));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3");
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var line = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                ?? throw new InvalidOperationException($"pymodbus client printed nothing (is python3-pymodbus installed? tests/peers/install-modbus.sh): {await error}");
            var report = JsonNode.Parse(line)?.AsObject() ?? throw new InvalidOperationException($"not JSON: {line}");
            return (bool)report["connected"]! ? report : throw new InvalidOperationException($"pymodbus could not connect: {line}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public static object Holding(int start, int count) => new { op = "holding", start, count };

    public static object Input(int start, int count) => new { op = "input", start, count };

    public static object Write(int start, params int[] values) => new { op = "write", start, values };

    public static object WriteSingle(int start, int value) => new { op = "write1", start, value };

    public static object Coil(int start, bool value) => new { op = "coil", start, value };
}
