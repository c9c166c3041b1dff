using EdgePartition.Cli.Hosting;
using EdgePartition.Collector;
using EdgePartition.Collector.Service;
using EdgePartition.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Cli.Collector;

/// <summary>
/// The collector process: checks the config (every problem as file:line:column, exit 78, before any device is
/// touched), refuses protocols it has no stack for with a message naming the missing piece, then runs
/// <see cref="CollectorService"/> in the partition host until SIGTERM or Ctrl-C.
/// </summary>
internal static class CollectorProcess
{
    /// <summary>EX_USAGE: the partition has no device of the requested protocol.</summary>
    public const int ExitNoDevices = 64;

    /// <summary>EX_UNAVAILABLE: the protocol stack this collector needs does not exist yet.</summary>
    public const int ExitProtocolUnavailable = 69;

    public static async Task<int> RunAsync(string partitionFile, string protocolName, CancellationToken cancellationToken)
    {
        if (PartitionProcess.TryLoad(partitionFile, out var exitCode) is not { } config)
        {
            return exitCode;
        }

        if (!CollectorProtocols.TryParse(protocolName, out var protocol))
        {
            await Console.Error.WriteLineAsync($"edgepart collector: unknown protocol '{protocolName}' (s7, modbus, opcua, sim)").ConfigureAwait(false);
            return ExitNoDevices;
        }

        var settings = new CollectorSettings(config, protocol);
        var devices = settings.Devices();
        if (!CollectorProtocols.IsSupported(protocol))
        {
            var names = string.Join(", ", devices.Select(d => d.Name));
            await Console.Error.WriteLineAsync(
                $"edgepart collector: {CollectorProtocols.MissingStackMessage(protocol)}" +
                (devices.Count > 0 ? $"; not collected: {names}" : "")).ConfigureAwait(false);
            return ExitProtocolUnavailable;
        }

        if (devices.Count == 0)
        {
            await Console.Error.WriteLineAsync(
                $"edgepart collector: partition '{config.Name}' ({config.SourcePath}) has no {CollectorProtocols.CommandName(protocol)} devices").ConfigureAwait(false);
            return ExitNoDevices;
        }

        var builder = PartitionHost.CreateBuilder(PartitionProcess.HostOptions(config, $"collector-{CollectorProtocols.CommandName(protocol)}"));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<CollectorService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CollectorService>());
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return Environment.ExitCode;
    }
}
