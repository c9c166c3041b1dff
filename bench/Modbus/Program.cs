using System.Diagnostics;
using System.Globalization;
using System.Net;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Server;

// bench/Modbus: our client and libmodbus (a C program linked with Debian's libmodbus-dev) reading 10 and 125 holding
// registers from the same pymodbus server and from our own server (run in a child process, like the peers), with 1
// and 4 transactions in flight. libmodbus has no pipelining: its "4 in flight" is 4 threads with one connection each,
// ours is one connection with 4 pipelined requests. Prints a Markdown table.
//
//   dotnet run --project bench/Modbus -c Release [-- --seconds 1 --rounds 3]
//   dotnet run --project bench/Modbus -c Release -- --serve   (our server alone; prints "LISTENING <port>")
//   dotnet run --project bench/Modbus -c Release -- micro [BenchmarkDotNet arguments]   (in-process micro-benchmarks)
if (args.Length > 0 && args[0] == "micro")
{
    return EdgePartition.Benchmarks.InProcessBenchmarks.Run(typeof(Program).Assembly, "modbus", args[1..]);
}

var invariant = CultureInfo.InvariantCulture;
if (args.Contains("--serve"))
{
    await using var server = new ModbusTcpServer(new ModbusServerOptions { Address = IPAddress.Loopback, Port = 0 });
    server.Start();
    for (ushort i = 0; i < 2000; i++)
    {
        server.Store.SetRegister(ModbusTable.HoldingRegisters, i, i);
    }

    Console.WriteLine($"LISTENING {server.Port}");
    await Console.In.ReadToEndAsync(); // ends when the parent closes our stdin or dies
    return 0;
}

var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => double.Parse(a, invariant)).FirstOrDefault(1.0);
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, invariant)).FirstOrDefault(3);
var repo = FindRepo();
var libmodbusBench = BuildLibmodbusBench(repo);

using var pymodbus = Peer.Start("/usr/bin/python3", ["-u", Path.Combine(repo, "tests/peers/modbus/pymodbus_server.py"), "--port", "0"]);
// Our server runs as this program in --serve mode: through the apphost, or through dotnet when started as a dll.
var self = Environment.ProcessPath!;
using var ours = Path.GetFileNameWithoutExtension(self) == "dotnet"
    ? Peer.Start(self, [typeof(Peer).Assembly.Location, "--serve"])
    : Peer.Start(self, ["--serve"]);

Console.WriteLine($"Modbus TCP read benchmark, best of {rounds} rounds of {seconds:0.#} s per case, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
Console.WriteLine("| server | registers | in flight | client | requests/s | p50 µs | p99 µs | ours / libmodbus |");
Console.WriteLine("|---|---:|---:|---|---:|---:|---:|---:|");
foreach (var (serverName, port) in new[] { ("pymodbus", pymodbus.Port), ("EdgePartition", ours.Port) })
{
    foreach (var registers in new[] { 10, 125 })
    {
        foreach (var inFlight in new[] { 1, 4 })
        {
            // The machine is shared: alternate the two clients over several rounds and keep each one's best round.
            Result c = default, o = default;
            for (var round = 0; round < rounds; round++)
            {
                c = Best(c, RunLibmodbus(libmodbusBench, port, registers, inFlight, seconds));
                o = Best(o, await RunOursAsync(port, registers, inFlight, seconds));
            }

            Console.WriteLine($"| {serverName} | {registers} | {inFlight} | libmodbus ({inFlight} conn.) | {c.Rate:0} | {c.P50:0} | {c.P99:0} | |");
            Console.WriteLine($"| {serverName} | {registers} | {inFlight} | EdgePartition (1 conn.) | {o.Rate:0} | {o.P50:0} | {o.P99:0} | {o.Rate / c.Rate:0.00} |");
        }
    }
}

return 0;

static Result Best(Result a, Result b) => b.Rate > a.Rate ? b : a;

static async Task<Result> RunOursAsync(int port, int registers, int inFlight, double seconds)
{
    await using var client = new ModbusTcpClient(new ModbusClientOptions
    {
        Host = "127.0.0.1",
        Port = port,
        MaxInFlight = inFlight,
        RequestTimeout = TimeSpan.FromSeconds(5),
    });
    await client.ConnectAsync();

    // Warm up (JIT, tiering), then measure.
    await Loop(client, registers, inFlight, 0.3);
    return await Loop(client, registers, inFlight, seconds);

    static async Task<Result> Loop(ModbusTcpClient client, int registers, int workers, double seconds)
    {
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var samples = new List<double>[workers];
        var tasks = new Task[workers];
        var started = Stopwatch.GetTimestamp();
        for (var w = 0; w < workers; w++)
        {
            var mine = samples[w] = new List<double>(1 << 20);
            tasks[w] = Task.Run(async () =>
            {
                var buffer = new ushort[registers];
                var t = Stopwatch.GetTimestamp();
                while (t < end)
                {
                    await client.ReadHoldingRegistersAsync(0, buffer);
                    var after = Stopwatch.GetTimestamp();
                    mine.Add((after - t) * 1e6 / Stopwatch.Frequency);
                    t = after;
                }
            });
        }

        await Task.WhenAll(tasks);
        var elapsed = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        var all = samples.SelectMany(s => s).Order().ToArray();
        return new Result(all.Length / elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
    }
}

static Result RunLibmodbus(string program, int port, int registers, int threads, double seconds)
{
    var info = new ProcessStartInfo(program, ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture),
        registers.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture),
        ((int)(seconds * 1000)).ToString(CultureInfo.InvariantCulture)])
    { RedirectStandardOutput = true };
    using var process = Process.Start(info)!;
    var line = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    double Field(string name) => double.Parse(parts[Array.IndexOf(parts, name) + 1], CultureInfo.InvariantCulture);
    return new Result(Field("requests") / Field("seconds"), Field("p50_us"), Field("p99_us"));
}

static string BuildLibmodbusBench(string repo)
{
    var output = Path.Combine(Path.GetTempPath(), $"edgepart-libmodbus-bench-{Environment.ProcessId}");
    var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-o", output, Path.Combine(repo, "bench/Modbus/libmodbus_bench.c"),
        "-I/usr/include/modbus", "-lmodbus", "-lpthread"]))!;
    gcc.WaitForExit();
    return gcc.ExitCode == 0 ? output : throw new InvalidOperationException("gcc failed: install libmodbus-dev (tests/peers/install-modbus.sh)");
}

static string FindRepo()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "tests/peers/modbus/pymodbus_server.py")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository");
}

internal readonly record struct Result(double Rate, double P50, double P99);

/// <summary>A server in a child process that prints "LISTENING port" and exits when its stdin closes.</summary>
internal sealed class Peer : IDisposable
{
    private readonly Process _process;

    private Peer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static Peer Start(string fileName, string[] arguments)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(info)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return new Peer(process, int.Parse(line.AsSpan(10), CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"{fileName} did not start listening");
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
