using System.Net;
using EdgePartition.Consumers.Partition;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Bench;

/// <summary>`serve PARTITION`: the consumers app alone in this process (so its CPU and memory can be measured).</summary>
public static class ServeMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var plan = new PartitionPlan(args[1], "/dev/shm", [new SourcePlan("bench", SourceKind.Device, "sim")]);
        await using var app = ConsumersServer.Build(plan, new ConsumersOptions { BindAddress = IPAddress.Loopback, Port = 0 },
            builder => builder.Logging.ClearProviders());
        await app.StartAsync();
        Console.WriteLine($"listening {ConsumersServer.BoundAddress(app)}");
        // Stop when the harness closes our stdin (also when it dies).
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }
}
