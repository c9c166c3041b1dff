using System.Buffers.Binary;
using System.Diagnostics;
using EdgePartition.S7;
using EdgePartition.S7.Client;
using EdgePartition.Testing;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Sync.Bench;

/// <summary>
/// End-to-end propagation latency: a probe client writes a new value into PLC A's DB100 and polls PLC B's DB200
/// until the merged value lands there (A's collector poll, sync woken by the commit, B's collector write). Both PLCs
/// are snap7 S7Servers on loopback. The floor, measured in the same run with the same probe clients, is one read
/// round trip to A plus one write round trip to B: what the path costs with zero waiting.
/// </summary>
internal static class LatencyBench
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(int pollMs, int samples)
    {
        await using var plcA = await Snap7ServerProcess.StartAsync(Options());
        await using var plcB = await Snap7ServerProcess.StartAsync(Options());
        using var partition = BenchPartition.Create([plcA.Port, plcB.Port], sendBytes: 32, receiveBytes: 100, pollMs, syncCycleMs: pollMs, receivePollMs: 5000);
        await using var collector = EdgepartProcess.Start("collector", partition.File, "--protocol", "s7");
        await using var sync = EdgepartProcess.Start("sync", partition.File);
        await using var writer = await ConnectAsync(plcA.Port);
        await using var probe = await ConnectAsync(plcB.Port);

        // The pipeline runs once a first value makes it through.
        await MeasureOnceAsync(writer, probe, 0x7FFF, Timeout);

        var floor = new List<double>(samples);
        var readBuffer = new byte[32];
        var writeBuffer = new byte[2];
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await writer.ReadAsync(S7Area.DB, 100, 0, readBuffer);
            await probe.WriteAsync(S7Area.DB, 200, 90, writeBuffer);
            floor.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var latency = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            latency.Add(await MeasureOnceAsync(writer, probe, (short)(i + 1), Timeout));
            // Decorrelate the next change from the poll phase.
            await Task.Delay(Random.Shared.Next(pollMs + 1));
        }

        var path = Percentiles.Of($"A DB100 -> B DB200, poll {pollMs} ms", latency);
        var roundTrips = Percentiles.Of("floor: read A + write B (one round trip each)", floor);
        Console.WriteLine(path);
        Console.WriteLine(roundTrips);
        Console.WriteLine($"  p50 - floor p50 = {path.P50 - roundTrips.P50:0.00} ms (target: within one poll cycle + 2 ms = {pollMs + 2} ms)");
        sync.Terminate();
        collector.Terminate();
        await sync.WaitForExitAsync();
        await collector.WaitForExitAsync();
    }

    private static async Task<double> MeasureOnceAsync(S7Client writer, S7Client probe, short value, TimeSpan timeout)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        var seen = new byte[2];
        var start = Stopwatch.GetTimestamp();
        await writer.WriteAsync(S7Address.Parse("DB100.DBW4"), bytes);
        while (true)
        {
            await probe.ReadAsync(S7Area.DB, 200, 4, seen);
            if (seen.AsSpan().SequenceEqual(bytes))
            {
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException($"value {value} did not reach PLC B within {timeout.TotalSeconds:0} s");
            }
        }
    }

    private static async Task<S7Client> ConnectAsync(int port)
    {
        var client = new S7Client(new S7ClientOptions { Host = "127.0.0.1", Port = port, Rack = 0, Slot = 1 });
        await client.ConnectAsync();
        return client;
    }

    private static Snap7ServerOptions Options() => new()
    {
        Areas = [new Snap7Area("DB", 100, 32), new Snap7Area("DB", 200, 100)],
    };
}
