using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

// Round-trip latency of EdgePartition.OpcUa against node-opcua on loopback, and node-opcua's own client timing the
// same Reads in the same run: one sample = one whole request.
// Usage (from the repository root, after tests/peers/install-opcua.sh): dotnet run -c Release --project bench/OpcUa -- [iterations]
//   dotnet run -c Release --project bench/OpcUa -- micro [BenchmarkDotNet arguments]   (in-process codec decode benchmarks)
if (args.Length > 0 && args[0] == "micro")
{
    return EdgePartition.Benchmarks.InProcessBenchmarks.Run(typeof(Program).Assembly, "opcua", args[1..]);
}

//   dotnet run -c Release --project bench/OpcUa -- secure [iterations]   (connect time and Read latency per security policy and mode)
if (args.Length > 0 && args[0] == "secure")
{
    var secureScript = Path.Combine(Path.GetDirectoryName(FindServerScript())!, "secure-server.mjs");
    return await EdgePartition.Bench.OpcUa.SecureBench.RunAsync(secureScript, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000);
}

var script = FindServerScript();
if (args.Length > 0 && args[0] == "subscriptions")
{
    // dotnet run -c Release --project bench/OpcUa -- subscriptions [items] [warm-up s] [measured s]
    return await EdgePartition.Bench.OpcUa.SubscriptionBench.RunAsync(args[1..], script);
}

var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
using var server = StartServer(script, out var endpoint);
try
{
    var ours = new Dictionary<string, Sample>();
    await using (var client = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = endpoint }))
    {
        await client.ConnectAsync(CancellationToken.None);
        Console.WriteLine($"node-opcua at {endpoint} (conformance address space), {iterations} iterations per case (1,000 nodes and BigArray: a quarter)");
        Console.WriteLine();
        Console.WriteLine("| case | p50 µs | p99 µs | max µs | alloc B/op |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var count in new[] { 1, 100, 1000 })
        {
            var nodes = Enumerable.Range(0, count)
                .Select(i => client.Namespaces.Parse($"nsu=urn:edgepartition:conformance;s=Conformance.Wide.Item{i % 150:000}")).ToArray();
            ours[$"Read {count}"] = await RunAsync($"Read {count}", count == 1000 ? iterations / 4 : iterations, nodes, client);
        }

        string[] scalars = ["Bool", "Int16", "Int32", "UInt32", "Float", "Double", "String", "DateTime", "DoubleArray", "Int32Array"];
        await RunAsync("Read 10 mixed", iterations, [.. scalars.Select(name => new NodeId(1, name))], client);
        await RunAsync("Read BigArray (5000 doubles, ~40 KB, chunked)", iterations / 4, [new NodeId(1, "BigArray")], client);
        var setpoint = new[] { new NodeId(1, "Setpoint") };
        await MeasureAsync("Write 1 Double", iterations, async i =>
            await client.WriteAsync(setpoint, [DataValue.Of(Variant.FromDouble(i))], CancellationToken.None));
    }

    // node-opcua's client, same server, same nodes, after ours has disconnected (the two never run at once).
    Console.WriteLine();
    Console.WriteLine("| case | ours p50 µs | node-opcua p50 µs | ours p99 µs | node-opcua p99 µs | p50 ratio (node-opcua / ours) | p99 ratio |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var theirs in RunNodeClient(script, endpoint, iterations))
    {
        var mine = ours[theirs.Case];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {theirs.Case} | {mine.P50:0} | {theirs.P50:0} | {mine.P99:0} | {theirs.P99:0} | {theirs.P50 / mine.P50:0.00} | {theirs.P99 / mine.P99:0.00} |"));
    }
}
finally
{
    server.Kill(entireProcessTree: true);
}

return 0;

static Task<Sample> RunAsync(string name, int iterations, NodeId[] nodes, OpcUaClient client)
{
    var values = new DataValue[nodes.Length];
    return MeasureAsync(name, iterations, _ => client.ReadAsync(nodes, values, CancellationToken.None));
}

static async Task<Sample> MeasureAsync(string name, int iterations, Func<int, Task> operation)
{
    for (var i = 0; i < Math.Min(200, iterations); i++)
    {
        await operation(i);
    }

    var samples = new double[iterations];
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < iterations; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await operation(i);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / iterations;
    Array.Sort(samples);
    var sample = new Sample(name, samples[iterations / 2], samples[(int)(iterations * 0.99)], samples[^1]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {sample.P50:0} | {sample.P99:0} | {sample.Max:0} | {allocated} |"));
    return sample;
}

static List<Sample> RunNodeClient(string serverScript, string endpoint, int iterations)
{
    var peers = Path.GetDirectoryName(serverScript)!;
    var clientScript = Path.Combine(AppContext.BaseDirectory, "node-client.mjs");
    var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(clientScript);
    info.ArgumentList.Add(peers);
    info.ArgumentList.Add(endpoint);
    info.ArgumentList.Add(iterations.ToString(CultureInfo.InvariantCulture));
    using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
    process.ErrorDataReceived += (_, _) => { };
    process.BeginErrorReadLine();
    var results = new List<Sample>();
    while (process.StandardOutput.ReadLine() is { } line)
    {
        if (line.StartsWith('{'))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            results.Add(new Sample(root.GetProperty("case").GetString()!, root.GetProperty("p50").GetDouble(), root.GetProperty("p99").GetDouble(), root.GetProperty("max").GetDouble()));
        }
    }

    process.WaitForExit();
    return results;
}

static string FindServerScript()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "tests", "peers", "opcua", "server.mjs");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException("run from inside the repository: tests/peers/opcua/server.mjs not found");
}

static Process StartServer(string script, out string endpoint)
{
    var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(script);
    info.ArgumentList.Add("0");
    info.ArgumentList.Add("600000");
    info.ArgumentList.Add("--conformance");
    info.WorkingDirectory = Path.GetDirectoryName(script)!;
    var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
    process.ErrorDataReceived += (_, _) => { };
    process.BeginErrorReadLine();
    while (process.StandardOutput.ReadLine() is { } line)
    {
        if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            endpoint = $"opc.tcp://127.0.0.1:{line[10..]}";
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            return process;
        }
    }

    throw new InvalidOperationException("node-opcua exited before listening (run tests/peers/install-opcua.sh)");
}

/// <summary>One case's latency percentiles in microseconds.</summary>
internal sealed record Sample(string Case, double P50, double P99, double Max);
