using EdgePartition.Config;
using EdgePartition.Hosting.Health;
using EdgePartition.Northbound.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Northbound;

/// <summary>
/// `edgepart northbound`: the Sparkplug B edge node of the partition as a hosted service. Ready for systemd once
/// the device watchers run (the broker may well be away at start: that is what the store is for).
/// </summary>
public sealed class NorthboundService(PartitionConfig config, ProcessReadiness readiness, ILogger<NorthboundService> logger) : BackgroundService
{
    private readonly ReadinessGate _ready = readiness.Register("northbound started");

    /// <summary>Where the store and the bdSeq file live: the store's directory, else $STATE_DIRECTORY or /var/lib/edgepart, then the partition.</summary>
    public static string StateDirectory(PartitionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Northbound?.Store.Directory is { } directory)
        {
            return directory;
        }

        var root = Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state ? state.Split(':')[0] : "/var/lib/edgepart";
        return Path.Combine(root, config.Name);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var northbound = config.Northbound ?? throw new InvalidOperationException("the partition has no <northbound> element");
        var devices = config.Devices.Select(d => d.Name).Where(d => DeviceMetrics.IsDevicePublished(northbound, d)).ToList();
        await using var publisher = new EdgeNodePublisher(northbound, config.Name, config.SegmentDirectory, devices, StateDirectory(config), logger);
        _ready.Open();
        await publisher.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
