using System.CommandLine;
using EdgePartition.Cli.Hosting;
using EdgePartition.Config;
using EdgePartition.Consumers;
using EdgePartition.Consumers.Endpoints;
using EdgePartition.Consumers.Partition;
using EdgePartition.Consumers.Security;
using EdgePartition.Hosting;
using EdgePartition.Hosting.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart consumers PARTITION.xml`: the HTTP status API, websocket feed, dashboard, /metrics and manual of a
/// partition, over read-only maps of its segments, on the address of the file's consumers/http element
/// (127.0.0.1 unless configured), plus the S7/Modbus server endpoints the file configures. Prints "listening on URL" once Kestrel is bound; ready for systemd then.
/// </summary>
internal static class ConsumersCommand
{
    public static Command Create()
    {
        var partitionFile = new Argument<FileInfo>("partition") { Description = "the partition XML file" };
        var port = new Option<int?>("--port") { Description = "listen on this port instead of the file's (0: the OS picks one)" };
        var command = new Command("consumers", "Serve the partition's status API, websocket feed, dashboard, metrics and manual (read-only)")
        {
            partitionFile,
            port,
        };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetRequiredValue(partitionFile).FullName, parseResult.GetValue(port), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string partitionFile, int? port, CancellationToken cancellationToken)
    {
        if (PartitionProcess.TryLoad(partitionFile, out var exitCode) is not { } config)
        {
            return exitCode;
        }

        var options = ConsumersOptionsFromConfig.Create(config);
        if (port is { } chosen)
        {
            options = options with { Port = chosen };
        }

        if (options.TlsCertificatePath is { } certificate)
        {
            // An unusable certificate or key is a configuration error: one line naming the file and exit 78, which
            // the supervisor does not restart, rather than a stack trace from inside Kestrel and a restart loop.
            try
            {
                TlsCertificates.Load(certificate, options.TlsKeyPath, options.TlsCertificatePassword).Dispose();
            }
            catch (TlsCertificateException e)
            {
                await Console.Error.WriteLineAsync($"edgepart consumers: {e.Message}").ConfigureAwait(false);
                return ConfigException.ExitCode;
            }
        }

        await using var app = ConsumersServer.Build(PartitionPlan.FromConfig(config), options, builder =>
        {
            builder.AddPartitionHosting(PartitionProcess.HostOptions(config, "consumers"));
            // The S7 and Modbus server endpoints of consumers/Endpoints, when the partition file configures them.
            builder.Services.AddPartitionServerEndpoints(config);
        });
        var ready = app.Services.GetRequiredService<ProcessReadiness>().Register("http listening");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = ConsumersServer.BoundAddress(app);
        app.Logger.LogInformation(EventIds.Listening, "Consumers of partition {Partition} listening on {Address}", config.Name, address);
        await Console.Out.WriteLineAsync($"listening on {address}").ConfigureAwait(false);
        ready.Open();
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return Environment.ExitCode;
    }

    private static class EventIds
    {
        public static readonly EventId Listening = new(620, "Listening");
    }
}
