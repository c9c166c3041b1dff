using System.Buffers.Binary;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Cli.Tests;

/// <summary>
/// `edgepart run` against three real snap7 PLCs with the demo layout: the supervisor restarts a sync or collector
/// killed with SIGKILL, and the PLCs see the server heartbeat in their receive block move again.
/// </summary>
public sealed class RunSupervisorTests
{
    private static readonly TimeSpan Patience = TestTimeouts.Process;

    // Server heartbeat: image bytes 96..97 (INT), written into every PLC's DB200 (config/xml/demo/demo.xml).
    private const int ReceiveDb = 200;
    private const int HeartbeatImageOffset = 96;

    /// <summary>A PLC program that increments its own heartbeat (DB100.DBW0) every 200 ms.</summary>
    private const string HeartbeatScript =
        "setInterval(() => plc.update('DB', 100, b => { b.writeInt16BE((b.readInt16BE(0) + 1) & 0x7fff, 0); }), 200);";

    [Theory]
    [InlineData("sync")]
    [InlineData("collector-s7")]
    public async Task RestartsChildKilledWithSigkillAndPlcsSeeHeartbeatResume(string child)
    {
        Snap7Peer.EnsureInstalled();
        var plcs = new List<Snap7ServerProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                plcs.Add(await Snap7ServerProcess.StartAsync(new Snap7ServerOptions
                {
                    Areas = [new Snap7Area("DB", 100, 32), new Snap7Area("DB", ReceiveDb, 100)],
                    Script = HeartbeatScript,
                }));
            }

            using var files = DemoPartitionFiles.Create(plcs.ConvertAll(p => p.Port));
            await using var run = EdgepartProcess.Start("run", files.PartitionFile);
            var firstStart = await run.WaitForLineAsync(l => l.Text.Contains($"Started {child} (pid", StringComparison.Ordinal), Patience);
            await WaitForHeartbeatToMoveAsync(plcs);

            var pid = ParsePid(firstStart.Text);
            EdgepartProcess.KillProcess(pid);
            await run.WaitForLineAsync(
                l => l.Text.Contains($"Started {child} (pid", StringComparison.Ordinal) && ParsePid(l.Text) != pid,
                Patience);

            await WaitForHeartbeatToMoveAsync(plcs);
            Assert.False(run.HasExited);

            run.Terminate();
            Assert.Equal(0, await run.WaitForExitAsync(Patience));
        }
        finally
        {
            foreach (var plc in plcs)
            {
                await plc.DisposeAsync();
            }
        }
    }

    /// <summary>Every PLC's receive block shows the server heartbeat changing (read from the PLCs themselves).</summary>
    private static async Task WaitForHeartbeatToMoveAsync(IReadOnlyList<Snap7ServerProcess> plcs)
    {
        foreach (var plc in plcs)
        {
            // A PLC's memory signals nothing: poll it.
            var first = await ReadHeartbeatAsync(plc);
            await Eventually.PollAsync(() => ReadHeartbeatAsync(plc), heartbeat => heartbeat != first, "the server heartbeat moving in a PLC's receive block", Patience);
        }
    }

    private static async Task<short> ReadHeartbeatAsync(Snap7ServerProcess plc) =>
        BinaryPrimitives.ReadInt16BigEndian(await plc.ReadDbAsync(ReceiveDb, HeartbeatImageOffset, 2));

    private static int ParsePid(string line)
    {
        var start = line.IndexOf("(pid ", StringComparison.Ordinal) + 5;
        var end = line.IndexOf(')', start);
        return int.Parse(line.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture);
    }
}
