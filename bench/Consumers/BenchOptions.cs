namespace EdgePartition.Consumers.Bench;

/// <summary>Command-line settings of the fan-out benchmark.</summary>
public sealed record BenchOptions(int Clients, int ChangesPerSecond, int CommitsPerSecond, int Tags, int Seconds, int WarmupSeconds)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(Clients: 100, ChangesPerSecond: 10_000, CommitsPerSecond: 100, Tags: 1000, Seconds: 10, WarmupSeconds: 3);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--clients" => options with { Clients = value },
                "--rate" => options with { ChangesPerSecond = value },
                "--commit-hz" => options with { CommitsPerSecond = value },
                "--tags" => options with { Tags = value },
                "--seconds" => options with { Seconds = value },
                "--warmup" => options with { WarmupSeconds = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
