using System.CommandLine;
using System.Diagnostics;
using EdgePartition.Cli.Demo;
using EdgePartition.Cli.Hosting;
using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart demo`: a whole partition on loopback with nothing else needed: three virtual S7 PLCs running a little
/// PLC program each, and the demo partition's collectors, sync and consumers under the supervisor of `edgepart run`.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan ScanPeriod = TimeSpan.FromMilliseconds(50);

    public static Command Create()
    {
        var partitionFile = new Option<FileInfo>("--partition")
        {
            Description = "the demo partition file (default: config/xml/demo/demo.xml beside the binary)",
        };
        var command = new Command("demo", "Run a whole partition against three built-in virtual S7 PLCs, dashboard on 127.0.0.1")
        {
            partitionFile,
        };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(partitionFile)?.FullName ?? DefaultPartitionFile, cancellationToken));
        return command;
    }

    public static string DefaultPartitionFile => Path.Combine(AppContext.BaseDirectory, "config", "xml", "demo", "demo.xml");

    private static async Task<int> RunAsync(string partitionFile, CancellationToken cancellationToken)
    {
        if (PartitionProcess.TryLoad(partitionFile, out var exitCode) is not { } config)
        {
            return exitCode;
        }

        var devices = config.Devices.Where(d => d.Protocol == Protocol.S7).ToArray();
        var plcs = new List<VirtualPlc>();
        try
        {
            for (var i = 0; i < devices.Length; i++)
            {
                plcs.Add(VirtualPlc.Start(devices[i], i, devices.Length));
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            Console.Error.WriteLine($"edgepart demo: cannot start the virtual PLCs: {e.Message}");
            await DisposeAllAsync(plcs).ConfigureAwait(false);
            return 69; // EX_UNAVAILABLE: a port is taken, most likely by another demo
        }

        PrintBanner(config, plcs);
        using var stopScans = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scans = Task.Run(() => ScanAsync(plcs, stopScans.Token), CancellationToken.None);
        try
        {
            return await RunCommand.RunAsync(partitionFile, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopScans.CancelAsync().ConfigureAwait(false);
            await scans.ConfigureAwait(false);
            await DisposeAllAsync(plcs).ConfigureAwait(false);

            // The demo owns its partition: leave no segments, queues or semaphores behind (a production partition
            // keeps them for readers and for the values a restarted writer picks up).
            SegmentDirectory.DeletePartition(config.SegmentDirectory, config.Name);
        }
    }

    private static async Task ScanAsync(IReadOnlyList<VirtualPlc> plcs, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(ScanPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                foreach (var plc in plcs)
                {
                    plc.Scan(clock.Elapsed);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void PrintBanner(PartitionConfig config, IReadOnlyList<VirtualPlc> plcs)
    {
        Console.WriteLine($"EdgePartition demo: partition '{config.Name}'");
        foreach (var plc in plcs)
        {
            Console.WriteLine($"  virtual S7 PLC {plc.Name,-8} on {plc.Endpoint}");
        }

        if (config.Consumers.Http is { } http)
        {
            var url = $"{(http.Tls is null ? "http" : "https")}://{http.BindAddress}:{http.Port}";
            Console.WriteLine($"  dashboard      {url}/");
            Console.WriteLine($"  status (JSON)  {url}/api/status");
        }

        Console.WriteLine($"  segments       edgepart shm ls {config.Name}   ·   edgepart shm dump {config.Name} {plcs.FirstOrDefault()?.Name} ");
        Console.WriteLine("  Ctrl-C stops everything.");
    }

    private static async Task DisposeAllAsync(IEnumerable<VirtualPlc> plcs)
    {
        foreach (var plc in plcs)
        {
            await plc.DisposeAsync().ConfigureAwait(false);
        }
    }
}
