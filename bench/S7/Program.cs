using System.Diagnostics;
using System.Globalization;
using EdgePartition.S7;
using EdgePartition.S7.Client;
using EdgePartition.Testing;
using EdgePartition.Testing.Peers;

// Side-by-side latency of our S7 client and snap7's own C++ client (bench/S7/snap7_bench.c, linked against the
// snap7.a that tests/peers/install-snap7.sh builds) against the same snap7 server, one case after the other.
// Usage: dotnet run -c Release --project bench/S7 [iterations]
//        dotnet run -c Release --project bench/S7 -- micro [BenchmarkDotNet arguments]   (in-process micro-benchmarks)
if (args.Length > 0 && args[0] == "micro")
{
    return EdgePartition.Benchmarks.InProcessBenchmarks.Run(typeof(Program).Assembly, "s7", args[1..]);
}

int iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
Snap7Peer.EnsureInstalled();
string native = BuildSnap7Bench();
string tagFile = Path.Combine(Path.GetTempPath(), $"s7bench-tags-{Environment.ProcessId}.txt");
var tags = ScatteredTags(100);
await File.WriteAllLinesAsync(tagFile, tags.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.DbNumber} {t.Offset} {t.Length}")));

await using var server = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new Snap7Area("DB", 1, 16384, FillWithIndex: true)] });
await using var client = new S7Client(new S7ClientOptions { Host = "127.0.0.1", Port = server.Port });
await client.ConnectAsync();
Console.WriteLine($"snap7 server on 127.0.0.1:{server.Port}; our client negotiated PDU {client.PduSize}, {client.ParallelJobs} parallel jobs; {iterations} iterations per case");
Console.WriteLine("| case | ours p50 µs | ours p99 µs | ours round trips | snap7 p50 µs | snap7 p99 µs | snap7 round trips | ratio p50 ours/snap7 | ours alloc B/poll |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
try
{
    foreach (var (name, size) in new[] { ("db16", 16), ("db200", 200), ("db4096", 4096), ("tags", 0) })
    {
        int n = size >= 4096 ? Math.Max(iterations / 4, 100) : iterations;
        var plan = name == "tags"
            ? new S7ReadPlanner().Plan(tags, client.PduSize)
            : new S7ReadPlanner().Plan([new S7ReadItem(S7Area.DB, 1, 0, size)], client.PduSize);
        var (p50, p99, allocated) = await TimeOurs(client, plan, n);
        var snap7 = await RunNative(native, server.Port, n, name, tagFile);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Describe(name)} | {p50:F1} | {p99:F1} | {plan.JobCount} | {snap7.P50:F1} | {snap7.P99:F1} | {snap7.Trips} | {p50 / snap7.P50:F2} | {allocated:F0} |"));
    }
}
finally
{
    File.Delete(tagFile);
}

return 0;

static string Describe(string name) => name switch
{
    "db16" => "DB read 16 B",
    "db200" => "DB read 200 B",
    "db4096" => "DB read 4 KiB",
    _ => "100 scattered tags",
};

static async Task<(double P50, double P99, double AllocatedPerPoll)> TimeOurs(S7Client client, S7ReadPlan plan, int iterations)
{
    var buffer = new byte[plan.BufferLength];
    var status = new S7ReturnCode[plan.Ranges.Length];
    for (int i = 0; i < iterations / 10 + 10; i++)
    {
        await client.ReadAsync(plan, buffer, status);
    }

    var samples = new double[iterations];
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    for (int i = 0; i < iterations; i++)
    {
        long start = Stopwatch.GetTimestamp();
        await client.ReadAsync(plan, buffer, status);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    foreach (var s in status)
    {
        if (s != S7ReturnCode.Success)
        {
            throw new InvalidOperationException($"read failed: {s}");
        }
    }

    Array.Sort(samples);
    return (samples[iterations / 2], samples[(int)(iterations * 0.99)], (double)allocated / iterations);
}

static async Task<(double P50, double P99, int Trips)> RunNative(string executable, int port, int iterations, string name, string tagFile)
{
    var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { port.ToString(CultureInfo.InvariantCulture), iterations.ToString(CultureInfo.InvariantCulture), name, tagFile })
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    string output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
    string error = await process.StandardError.ReadToEndAsync(timeout.Token);
    await process.WaitForExitAsync(timeout.Token);
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"snap7_bench failed: {error}");
    }

    var parts = output.Trim().Split(' ');
    return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture),
        int.Parse(parts[2], CultureInfo.InvariantCulture));
}

static string BuildSnap7Bench()
{
    string source = Path.Combine(RepoPaths.Root, "bench", "S7", "snap7_bench.c");
    string output = Path.Combine(Path.GetTempPath(), $"snap7_bench_{Environment.ProcessId}");
    var start = new ProcessStartInfo("g++") { RedirectStandardError = true };
    foreach (var argument in new[] { "-O2", "-x", "c", source, "-x", "none", Snap7Peer.StaticLibrary, "-lpthread", "-o", output })
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    string error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    return process.ExitCode == 0 ? output : throw new InvalidOperationException($"compiling snap7_bench.c failed: {error}");
}

// 100 tags of 1, 2 or 4 bytes scattered over the first 8000 bytes of DB1, the same for both clients.
static S7ReadItem[] ScatteredTags(int count)
{
    var random = new Random(42);
    var lengths = new[] { 1, 2, 4 };
    return Enumerable.Range(0, count).Select(_ => new S7ReadItem(S7Area.DB, 1, random.Next(0, 4000) * 2, lengths[random.Next(3)])).ToArray();
}
