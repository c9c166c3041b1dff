using System.Globalization;
using EdgePartition.Sync.Bench;

// edgepart sync harnesses (Release): `latency [samples]` against snap7, `scale [plcs] [seconds]` with virtual PLCs.
var mode = args.Length > 0 ? args[0] : "latency";
switch (mode)
{
    case "latency":
        var samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        foreach (var pollMs in new[] { 10, 100 })
        {
            await LatencyBench.RunAsync(pollMs, pollMs == 100 ? Math.Max(20, samples / 2) : samples);
        }

        return 0;
    case "scale":
        var plcs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        await ScaleBench.RunAsync(plcs, seconds);
        return 0;
    default:
        Console.Error.WriteLine("usage: EdgePartition.Sync.Bench latency [samples] | scale [plcs] [seconds]");
        return 64;
}
