using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using EdgePartition.Ipc;
using EdgePartition.S7;
using EdgePartition.S7.Server;
using EdgePartition.Testing;

namespace EdgePartition.Sync.Bench;

/// <summary>
/// Scale: N virtual PLCs (our S7Server, in this process) with 200-byte send blocks in one partition, one real
/// `edgepart collector --protocol s7` polling them every 100 ms and one real `edgepart sync` (50 ms cycle) writing the
/// merged image (N × 200 bytes + heartbeat + alive flags) into every PLC's DB200. Every PLC program changes its
/// heartbeat and a counter every 100 ms, so every cycle has changes from every PLC to spread. Reports sync's own cycle
/// work time and jitter (from its segment status), and CPU and memory of each process over the window.
/// </summary>
internal static class ScaleBench
{
    private const int SendBytes = 200;

    public static async Task RunAsync(int plcCount, int seconds)
    {
        var receiveBytes = BenchPartition.ImageSize(plcCount, SendBytes);
        var servers = new List<S7Server>();
        try
        {
            for (var i = 0; i < plcCount; i++)
            {
                var server = new S7Server(new S7ServerOptions { MaxClients = 8 });
                server.RegisterArea(S7Area.DB, 100, SendBytes);
                server.RegisterArea(S7Area.DB, 200, receiveBytes);
                server.Start(IPAddress.Loopback, 0);
                servers.Add(server);
            }

            using var partition = BenchPartition.Create([.. servers.Select(s => s.Port)], SendBytes, receiveBytes, pollMs: 100, syncCycleMs: 50, receivePollMs: 5000);
            using var programs = new CancellationTokenSource();
            var program = RunProgramsAsync(servers, programs.Token);
            await using var collector = EdgepartProcess.Start("collector", partition.File, "--protocol", "s7");
            await using var sync = EdgepartProcess.Start("sync", partition.File);

            var settle = Stopwatch.StartNew();
            using var reader = await OpenSyncSegmentAsync(partition);
            var snapshot = reader.CreateSnapshot();
            var aliveTags = Enumerable.Range(1, plcCount).Select(i => reader.Layout.IndexOf($"alive.plc{i}")).ToArray();
            while (!(reader.TryReadSnapshot(snapshot) && aliveTags.All(t => snapshot.GetBool(t))))
            {
                if (settle.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"not every PLC alive within 60 s:\n{sync.Output}\n{collector.Output}");
                }

                reader.WaitForChange(snapshot.ChangeSequence, TimeSpan.FromMilliseconds(200));
            }

            Console.WriteLine($"{plcCount} PLCs alive after {settle.Elapsed.TotalSeconds:0.0} s; image {receiveBytes} bytes; measuring {seconds} s");
            reader.TryReadSnapshot(snapshot);
            var cyclesBefore = snapshot.Status.CycleCount;
            var before = (Sync: ProcessStats.Read(sync.ProcessId), Collector: ProcessStats.Read(collector.ProcessId), Harness: ProcessStats.Read(Environment.ProcessId));
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var wall = window.Elapsed.TotalSeconds;
            var after = (Sync: ProcessStats.Read(sync.ProcessId), Collector: ProcessStats.Read(collector.ProcessId), Harness: ProcessStats.Read(Environment.ProcessId));
            reader.TryReadSnapshot(snapshot);
            ref readonly var status = ref snapshot.Status;

            Console.WriteLine($"sync cycles: {(status.CycleCount - cyclesBefore) / wall:0.0}/s (scheduled 20/s, the rest woken by collector commits)");
            Console.WriteLine($"sync cycle work: last {Ms(status.CycleTimeLastNs)} avg {Ms(status.CycleTimeAvgNs)} max {Ms(status.CycleTimeMaxNs)}");
            Console.WriteLine($"sync cycle start jitter: p50 {Ms(status.JitterP50Ns)} p99 {Ms(status.JitterP99Ns)} max {Ms(status.JitterMaxNs)}");
            Console.WriteLine($"sync writes confirmed {status.WritesOk}, failed or refused {status.WritesFailed}, in flight {status.WriteQueueDepth}");
            Report("edgepart sync", before.Sync, after.Sync, wall);
            Report("edgepart collector (s7)", before.Collector, after.Collector, wall);
            Report($"harness ({plcCount} virtual PLCs)", before.Harness, after.Harness, wall);
            await ReportLagAsync(servers);

            programs.Cancel();
            await program;
            sync.Terminate();
            collector.Terminate();
            await sync.WaitForExitAsync();
            await collector.WaitForExitAsync();
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.StopAsync();
            }
        }
    }

    /// <summary>Each PLC's program: heartbeat (DBW0) and a counter (DBW2) +1 every 100 ms.</summary>
    private static async Task RunProgramsAsync(List<S7Server> servers, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var word = new byte[4];
        short tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                tick++;
                BinaryPrimitives.WriteInt16BigEndian(word, tick);
                BinaryPrimitives.WriteInt16BigEndian(word.AsSpan(2), tick);
                foreach (var server in servers)
                {
                    server.WriteArea(S7Area.DB, 100, 0, word);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>How far the last PLC's counter, as seen in the first PLC's DB200, trails the counter itself.</summary>
    private static Task ReportLagAsync(List<S7Server> servers)
    {
        var own = new byte[2];
        var seen = new byte[2];
        servers[^1].ReadArea(S7Area.DB, 100, 2, own);
        servers[0].ReadArea(S7Area.DB, 200, ((servers.Count - 1) * SendBytes) + 2, seen);
        var lag = BinaryPrimitives.ReadInt16BigEndian(own) - BinaryPrimitives.ReadInt16BigEndian(seen);
        Console.WriteLine($"plc{servers.Count}'s counter seen in plc1's DB200 trails by {lag} ticks of 100 ms");
        return Task.CompletedTask;
    }

    private static async Task<SegmentReader> OpenSyncSegmentAsync(BenchPartition partition)
    {
        var start = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return SegmentReader.Open(SegmentNames.DefaultDirectory, partition.Name, "sync");
            }
            catch (Exception e) when (e is FileNotFoundException or SegmentFormatException && start.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    private static void Report(string name, ProcessStats before, ProcessStats after, double wallSeconds) =>
        Console.WriteLine($"{name,-34} CPU {(after.CpuSeconds - before.CpuSeconds) / wallSeconds * 100,6:0.0} % of one core   RSS {after.RssKiB / 1024.0,7:0.0} MiB");

    private static string Ms(long ns) => $"{ns / 1e6:0.000} ms";
}
