using System.CommandLine;
using EdgePartition.Cli.Hosting;
using EdgePartition.Cli.Run;
using EdgePartition.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart run PARTITION.xml`: the whole partition as supervised child processes.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var partitionFile = new Argument<FileInfo>("partition") { Description = "the partition XML file" };
        var command = new Command("run", "Start the partition's collectors, sync and consumers as child processes, restart any that dies, stop all on Ctrl-C or SIGTERM")
        {
            partitionFile,
        };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetRequiredValue(partitionFile).FullName, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string partitionFile, CancellationToken cancellationToken, Action<IServiceCollection>? extraServices = null)
    {
        if (PartitionProcess.TryLoad(partitionFile, out var exitCode) is not { } config)
        {
            return exitCode;
        }

        var builder = PartitionHost.CreateBuilder(PartitionProcess.HostOptions(config, "run"));
        builder.Services.AddSingleton(PartitionSupervisor.ChildrenOf(config, partitionFile));
        builder.Services.AddHostedService<PartitionSupervisor>();
        extraServices?.Invoke(builder.Services);
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
