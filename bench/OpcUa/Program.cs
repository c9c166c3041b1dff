using System.Diagnostics;
using System.Globalization;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

// Round-trip latency of EdgePartition.OpcUa against node-opcua on loopback: one sample = one whole request.
// Usage (from the repository root, after tests/peers/install-opcua.sh): dotnet run -c Release --project bench/OpcUa -- [iterations]
//   dotnet run -c Release --project bench/OpcUa -- micro [BenchmarkDotNet arguments]   (in-process codec decode benchmarks)
if (args.Length > 0 && args[0] == "micro")
{
    return EdgePartition.Benchmarks.InProcessBenchmarks.Run(typeof(Program).Assembly, "opcua", args[1..]);
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
    await using var client = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = endpoint });
    await client.ConnectAsync(CancellationToken.None);

    string[] scalars = ["Bool", "Int16", "Int32", "UInt32", "Float", "Double", "String", "DateTime", "DoubleArray", "Int32Array"];
    var ten = scalars.Select(name => new NodeId(1, name)).ToArray();
    var hundred = Enumerable.Range(0, 100).Select(i => ten[i % ten.Length]).ToArray();
    Console.WriteLine($"node-opcua at {endpoint}, {iterations} iterations per case (BigArray: a quarter)");
    Console.WriteLine("| case | p50 µs | p99 µs | max µs | alloc B/op |");
    Console.WriteLine("|---|---|---|---|---|");
    await RunAsync("Read 1 Int32", iterations, ten[2..3], client);
    await RunAsync("Read 10 mixed", iterations, ten, client);
    await RunAsync("Read 100 nodes", iterations, hundred, client);
    await RunAsync("Read BigArray (5000 doubles, ~40 KB, chunked)", iterations / 4, [new NodeId(1, "BigArray")], client);

    var setpoint = new[] { new NodeId(1, "Setpoint") };
    await MeasureAsync("Write 1 Double", iterations, async i =>
        await client.WriteAsync(setpoint, [DataValue.Of(Variant.FromDouble(i))], CancellationToken.None));
}
finally
{
    server.Kill(entireProcessTree: true);
}

return 0;

static Task RunAsync(string name, int iterations, NodeId[] nodes, OpcUaClient client)
{
    var values = new DataValue[nodes.Length];
    return MeasureAsync(name, iterations, _ => client.ReadAsync(nodes, values, CancellationToken.None));
}

static async Task MeasureAsync(string name, int iterations, Func<int, Task> operation)
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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {samples[iterations / 2]:0} | {samples[(int)(iterations * 0.99)]:0} | {samples[^1]:0} | {allocated} |"));
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
