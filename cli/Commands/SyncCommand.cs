using System.CommandLine;
using EdgePartition.Cli.Hosting;
using EdgePartition.Config;
using EdgePartition.Hosting;
using EdgePartition.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart sync PARTITION.xml`: the partition's sync process (merge, heartbeats, request/ack, write-back).</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var partitionFile = new Argument<FileInfo>("partition") { Description = "the partition XML file" };
        var command = new Command("sync", "Merge the devices' send blocks into the image, run the heartbeats and request/ack tracking, and write the image back to every receiver")
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

        if (config.Sync is null)
        {
            Console.Error.WriteLine($"{partitionFile}: partition '{config.Name}' has no <sync> element; there is nothing for sync to do");
            return ConfigException.ExitCode;
        }

        var builder = PartitionHost.CreateBuilder(PartitionProcess.HostOptions(config, "sync"));
        builder.Services.AddSingleton(config);
        builder.Services.AddHostedService<SyncService>();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);

        // SyncService sets it when another sync holds the partition (75) or the engine failed (70).
        return Environment.ExitCode;
    }
}
