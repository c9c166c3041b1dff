using System.CommandLine;
using System.Runtime.InteropServices;
using EdgePartition.Cli.Hosting;
using EdgePartition.Cli.Run;
using EdgePartition.Hosting;
using EdgePartition.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart run PARTITION.xml`: the whole partition as supervised child processes.</summary>
internal static partial class RunCommand
{
    /// <summary>EX_UNAVAILABLE: the partition already runs; a supervisor (or systemd) must not retry in a loop.</summary>
    public const int ExitAlreadyRunning = 69;

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

        // One supervisor per partition: a second one would fight the first over leases and ports in a restart loop.
        using var lease = PartitionLease.TryAcquire(config.SegmentDirectory, config.Name);
        if (lease is null)
        {
            await Console.Error.WriteLineAsync(
                $"edgepart run: partition '{config.Name}' is already running under another supervisor (it holds {PartitionLease.PathOf(config.SegmentDirectory, config.Name)}); stop it first").ConfigureAwait(false);
            return ExitAlreadyRunning;
        }

        if (PartitionLease.LiveWriters(config.SegmentDirectory, config.Name) is { Count: > 0 } writers)
        {
            await Console.Error.WriteLineAsync(
                $"edgepart run: partition '{config.Name}' has live processes outside any supervisor ({string.Join(", ", writers.Select(w => $"{w.Segment}: pid {w.Pid}"))}); stop them first").ConfigureAwait(false);
            return ExitAlreadyRunning;
        }

        var builder = PartitionHost.CreateBuilder(PartitionProcess.HostOptions(config, "run"));
        builder.Services.AddSingleton(PartitionSupervisor.ChildrenOf(config, partitionFile));
        builder.Services.AddHostedService<PartitionSupervisor>();
        extraServices?.Invoke(builder.Services);
        using var host = builder.Build();

        // SIGHUP would end the supervisor (exit 129) and leave the children behind. Until reload gives it a meaning,
        // it changes nothing and says so.
        var log = host.Services.GetRequiredService<ILogger<PartitionSupervisor>>();
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            LogHangupIgnored(log);
        });
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "SIGHUP received: configuration reload is not implemented yet; nothing changed, the children keep running")]
    private static partial void LogHangupIgnored(ILogger logger);
}
