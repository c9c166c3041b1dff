using System.CommandLine;
using EdgePartition.Cli.Hosting;
using EdgePartition.Config;
using EdgePartition.Hosting;
using EdgePartition.Northbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart northbound PARTITION.xml`: the partition's Sparkplug B publisher over MQTT, with store and forward.</summary>
internal static class NorthboundCommand
{
    public static Command Create()
    {
        var partitionFile = new Argument<FileInfo>("partition") { Description = "the partition XML file" };
        var command = new Command("northbound", "Publish the partition to an MQTT broker in Sparkplug B, storing changes on disk while the broker or the primary host is away")
        {
            partitionFile,
        };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetRequiredValue(partitionFile).FullName, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string partitionFile, CancellationToken cancellationToken)
    {
        if (PartitionProcess.TryLoad(partitionFile, out var exitCode) is not { } config)
        {
            return exitCode;
        }

        if (config.Northbound is null)
        {
            await Console.Error.WriteLineAsync($"{partitionFile}: partition '{config.Name}' has no <northbound> element; there is nothing to publish").ConfigureAwait(false);
            return ConfigException.ExitCode;
        }

        var builder = PartitionHost.CreateBuilder(PartitionProcess.HostOptions(config, "northbound"));
        builder.Services.AddSingleton(config);
        builder.Services.AddHostedService<NorthboundService>();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return Environment.ExitCode;
    }
}
