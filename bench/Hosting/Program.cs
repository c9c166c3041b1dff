using System.Globalization;
using EdgePartition.Bench.Hosting;
using EdgePartition.Hosting.Cycles;
using Microsoft.Extensions.Logging;

// Cycle jitter of CycleLoop (the loop sync runs on) at 10 ms: idle, under load from a second process, and under
// load with SCHED_FIFO. Usage: dotnet run -c Release --project bench/Hosting -- [--seconds 20] [--period-ms 10]
//   [--load-threads N (default: CPU count)] [--priority 50]
if (args.Length >= 2 && args[0] == "--burn")
{
    CpuBurner.Burn(int.Parse(args[1], CultureInfo.InvariantCulture));
    return 0;
}

int seconds = Option("--seconds", 20);
int periodMs = Option("--period-ms", 10);
int loadThreads = Option("--load-threads", Environment.ProcessorCount);
int priority = Option("--priority", 50);
using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
var logger = loggerFactory.CreateLogger("bench");

Console.WriteLine($"CycleLoop jitter, period {periodMs} ms, {seconds} s per run, {Environment.ProcessorCount} CPUs, load: {loadThreads} spinning threads in a second process");
Console.WriteLine("| run | cycles | p50 | p99 | p99.9 | max | overruns | missed | scheduling |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
await Run("idle, normal scheduling", load: false, realTime: null);
await Run("loaded, normal scheduling", load: true, realTime: null);
await Run($"loaded, SCHED_FIFO {priority}", load: true, realTime: new RealTimeOptions { Priority = priority });
return 0;

async Task Run(string name, bool load, RealTimeOptions? realTime)
{
    var period = TimeSpan.FromMilliseconds(periodMs);
    int expected = seconds * 1000 / periodMs;
    var work = new SyncLikeWork(expected + 100);
    var loop = new CycleLoop(new CycleOptions { Name = "sync", Period = period, RealTime = realTime, JitterWindow = 1000 }, work, logger);
    using var burner = load ? CpuBurner.Start(loadThreads) : null;
    try
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await loop.RunAsync(stop.Token);
    }
    finally
    {
        burner?.Kill();
        burner?.WaitForExit();
    }

    var samples = work.Lateness.ToArray();
    Array.Sort(samples);
    var statistics = loop.GetStatistics();
    Console.WriteLine($"| {name} | {samples.Length} | {Us(Percentile(samples, 0.50))} | {Us(Percentile(samples, 0.99))} | {Us(Percentile(samples, 0.999))} | {Us(samples[^1])} | {statistics.Overruns} | {statistics.MissedDeadlines} | {statistics.RealTime} |");
}

static long Percentile(long[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static string Us(long nanoseconds) => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1000.0:0} µs");

int Option(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
