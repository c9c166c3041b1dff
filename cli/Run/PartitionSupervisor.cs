using EdgePartition.Config;
using EdgePartition.Hosting.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Cli.Run;

/// <summary>
/// `edgepart run`: the partition's collectors (one per protocol in use), its sync (when it has sync rules), its
/// consumers and its northbound publisher (when it has &lt;northbound&gt;), each a separate child process kept running by a <see cref="SupervisedChild"/>.
/// </summary>
internal sealed class PartitionSupervisor(
    IReadOnlyList<ChildSpec> children,
    ILogger<PartitionSupervisor> logger,
    ProcessReadiness readiness,
    IHostApplicationLifetime lifetime)
    : BackgroundService
{
    private readonly ReadinessGate _started = readiness.Register("children started");

    public static IReadOnlyList<ChildSpec> ChildrenOf(PartitionConfig config, string partitionFile)
    {
        var children = new List<ChildSpec>();
        foreach (var protocol in Enum.GetValues<Protocol>())
        {
            if (config.Devices.Any(d => d.Protocol == protocol))
            {
                var name = protocol.ToString().ToLowerInvariant();
                children.Add(new ChildSpec($"collector-{name}", ["collector", partitionFile, "--protocol", name]));
            }
        }

        if (config.Sync is not null)
        {
            children.Add(new ChildSpec("sync", ["sync", partitionFile]));
        }

        children.Add(new ChildSpec("consumers", ["consumers", partitionFile]));
        if (config.Northbound is not null)
        {
            children.Add(new ChildSpec("northbound", ["northbound", partitionFile]));
        }
        return children;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Task[children.Count];
        for (var i = 0; i < children.Count; i++)
        {
            var child = new SupervisedChild(children[i], logger, Console.Out);
            running[i] = Task.Run(() => child.RunAsync(stoppingToken), CancellationToken.None);
        }

        _started.Open();
        await Task.WhenAll(running).ConfigureAwait(false);
        if (!stoppingToken.IsCancellationRequested)
        {
            // Every child stayed down for good (each said why): nothing is left to supervise.
            lifetime.StopApplication();
        }
    }
}
