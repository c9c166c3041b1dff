using System.Globalization;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Sync.Tests.Support;

/// <summary>
/// The demo partition for real: three snap7 S7Servers as plc1..plc3 (DB100 send, DB200 receive) each running a
/// small PLC program, one real `edgepart collector --protocol s7` and one real `edgepart sync`. The PLC program
/// increments the heartbeat (DB100.DBW0), runs its pump (DB100.DBX2.2) while the previous PLC's request shows in
/// DB200, and acknowledges (DB100.DBX2.1) its own request once DB200 shows the next PLC's pump running.
/// </summary>
internal sealed class PlcRig : IAsyncDisposable
{
    public const int ReceiveDb = 200;
    public const int SendDb = 100;
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMilliseconds(1000);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(2500);

    private readonly List<Snap7ServerProcess> _plcs;

    private PlcRig(List<Snap7ServerProcess> plcs, TestPartition partition)
    {
        _plcs = plcs;
        Partition = partition;
    }

    public TestPartition Partition { get; }

    public IReadOnlyList<Snap7ServerProcess> Plcs => _plcs;

    public EdgepartProcess? Collector { get; private set; }

    public EdgepartProcess? Sync { get; private set; }

    /// <param name="executors">Which PLCs run the executor part of the program (index 0..2).</param>
    /// <param name="withdrawingPairs">Request/ack pairs given withdrawOnTimeout="true".</param>
    public static async Task<PlcRig> StartAsync(bool[]? executors = null, int pollMs = 20, int syncCycleMs = 50, string[]? withdrawingPairs = null)
    {
        executors ??= [true, true, true];
        var plcs = new List<Snap7ServerProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                plcs.Add(await Snap7ServerProcess.StartAsync(new Snap7ServerOptions
                {
                    Areas = [new Snap7Area("DB", SendDb, 32), new Snap7Area("DB", ReceiveDb, 100)],
                    Script = Program(i, executors[i]),
                }));
            }

            var partition = TestPartition.FromDemo(
                xml => Withdrawing(xml, withdrawingPairs ?? [])
                    .Replace("cycleMs=\"50\"", $"cycleMs=\"{syncCycleMs}\"", StringComparison.Ordinal)
                    .Replace("timeoutMs=\"3000\"", $"timeoutMs=\"{HeartbeatTimeout.TotalMilliseconds}\"", StringComparison.Ordinal)
                    .Replace("timeoutMs=\"10000\"", $"timeoutMs=\"{RequestTimeout.TotalMilliseconds}\"", StringComparison.Ordinal),
                xml => xml
                    .Replace("port=\"11021\"", $"port=\"{plcs[0].Port}\"", StringComparison.Ordinal)
                    .Replace("port=\"11022\"", $"port=\"{plcs[1].Port}\"", StringComparison.Ordinal)
                    .Replace("port=\"11023\"", $"port=\"{plcs[2].Port}\"", StringComparison.Ordinal)
                    .Replace("cycleMs=\"100\"", $"cycleMs=\"{pollMs}\"", StringComparison.Ordinal));
            return new PlcRig(plcs, partition);
        }
        catch
        {
            foreach (var plc in plcs)
            {
                await plc.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Starts the collector and sync processes and waits until sync has written an image with every PLC alive.</summary>
    public async Task StartProcessesAsync()
    {
        Collector = EdgepartProcess.Start("collector", Partition.PartitionFile, "--protocol", "s7");
        Sync = EdgepartProcess.Start("sync", Partition.PartitionFile);
        await Sync.WaitForLineAsync("Sync of partition", TestTimeouts.Process);
        for (var i = 0; i < 3; i++)
        {
            await WaitForAliveFlagsAsync(i, 0b111);
        }
    }

    private static string Withdrawing(string partitionXml, string[] pairs)
    {
        foreach (var pair in pairs)
        {
            partitionXml = partitionXml.Replace($"<requestAck name=\"{pair}\" ", $"<requestAck name=\"{pair}\" withdrawOnTimeout=\"true\" ", StringComparison.Ordinal);
        }

        return partitionXml;
    }

    public Task<byte[]> ReceiveAsync(int plc) => _plcs[plc].ReadDbAsync(ReceiveDb, 0, 100);

    public Task<byte[]> SendAsync(int plc) => _plcs[plc].ReadDbAsync(SendDb, 0, 32);

    public Task WaitForAliveFlagsAsync(int plc, int flags, TimeSpan? timeout = null) =>
        Eventually.PollAsync(() => ReceiveAsync(plc), r => r[98] == flags, $"alive flags 0b{Convert.ToString(flags, 2)} in plc{plc + 1}'s DB200", timeout);

    /// <summary>Raises the PLC's pump request and clears its ack in one step of the PLC's own loop.</summary>
    public Task RequestPumpAsync(int plc) => _plcs[plc].EvalAsync("plc.update('DB', 100, b => { b[2] = (b[2] | 1) & ~2; })");

    /// <summary>Stops the PLC's heartbeat program (the PLC still answers, like a CPU whose program hangs).</summary>
    public Task SetProgramRunningAsync(int plc, bool running) =>
        _plcs[plc].EvalAsync(string.Create(CultureInfo.InvariantCulture, $"(globalThis.running = {(running ? "true" : "false")})"));

    public async ValueTask DisposeAsync()
    {
        if (Sync is not null)
        {
            await Sync.DisposeAsync();
        }

        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }

        foreach (var plc in _plcs)
        {
            await plc.DisposeAsync();
        }

        Partition.Dispose();
    }

    private static string Program(int me, bool executes) => string.Create(CultureInfo.InvariantCulture, $$"""
        globalThis.running = true;
        const me = {{me}}, prev = (me + 2) % 3, next = (me + 1) % 3, executes = {{(executes ? "true" : "false")}};
        setInterval(() => {
          if (!globalThis.running) return;
          const rx = plc.get('DB', {{ReceiveDb}});
          plc.update('DB', {{SendDb}}, b => {
            b.writeInt16BE((b.readInt16BE(0) + 1) & 0x7fff, 0);
            if (executes) { b[2] = (rx[prev * 32 + 2] & 1) ? (b[2] | 4) : (b[2] & ~4); }
            if ((b[2] & 1) && (rx[next * 32 + 2] & 4)) b[2] |= 2;
          });
        }, 20);
        """);
}
