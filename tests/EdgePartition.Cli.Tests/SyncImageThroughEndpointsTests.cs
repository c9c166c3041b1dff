using System.Text.Json.Nodes;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Cli.Tests;

/// <summary>
/// The merged image as a real sync process writes it, read by HMIs through the consumers' S7 endpoint (DB1, with
/// snap7's client) and Modbus endpoint (registers 0.., with pymodbus's client): nothing in between is a fake, so the
/// type sync gives the image and the type the endpoint map expects are checked against each other.
/// </summary>
public sealed class SyncImageThroughEndpointsTests
{
    private static readonly TimeSpan Patience = TestTimeouts.Process;

    /// <summary>Each PLC's send block (DB100) lands at 32·i in the image (config/xml/demo/demo.xml).</summary>
    private const int SendBlockBytes = 32;

    /// <summary>Bytes 16..31 of a send block carry no demo tag the PLC program or sync changes.</summary>
    private const int PatternOffset = 16;
    private const int PatternLength = 16;

    [Fact]
    public async Task HmisReadTheMergedImageOfARealSyncThroughS7AndModbusEndpoints()
    {
        Snap7Peer.EnsureInstalled();
        var plcs = new List<Snap7ServerProcess>();
        try
        {
            var patterns = new List<byte[]>();
            for (var i = 0; i < 3; i++)
            {
                var plc = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions
                {
                    Areas = [new Snap7Area("DB", 100, SendBlockBytes), new Snap7Area("DB", 200, 100)],
                    Script = "setInterval(() => plc.update('DB', 100, b => { b.writeInt16BE((b.readInt16BE(0) + 1) & 0x7fff, 0); }), 200);",
                });
                plcs.Add(plc);
                var pattern = Enumerable.Range(0, PatternLength).Select(b => (byte)((0x10 * (i + 1)) + b)).ToArray();
                await plc.WriteDbAsync(100, PatternOffset, pattern);
                patterns.Add(pattern);
            }

            using var files = DemoPartitionFiles.Create(plcs.ConvertAll(p => p.Port));
            int s7Port = DemoPartitionFiles.FreeTcpPort();
            int modbusPort = DemoPartitionFiles.FreeTcpPort();
            var xml = File.ReadAllText(files.PartitionFile).Replace("</consumers>",
                $"""
                  <s7Server port="{s7Port}"/>
                    <modbusServer port="{modbusPort}"/>
                  </consumers>
                """, StringComparison.Ordinal);
            File.WriteAllText(files.PartitionFile, xml);

            await using var run = EdgepartProcess.Start("run", files.PartitionFile);
            await run.WaitForLineAsync(l => l.Text.Contains("Started consumers (pid", StringComparison.Ordinal), Patience);

            var expected = new byte[3 * SendBlockBytes];
            for (var i = 0; i < 3; i++)
            {
                patterns[i].CopyTo(expected, (i * SendBlockBytes) + PatternOffset);
            }

            // The endpoints publish on their own cycle: poll what a client reads until the image is there.
            await Eventually.PollAsync(() => ReadS7PatternsAsync(s7Port), bytes => bytes is not null && bytes.SequenceEqual(Patterns(expected)),
                "the merged image's send blocks in DB1 of the S7 endpoint", Patience);
            await Eventually.PollAsync(() => ReadModbusPatternsAsync(modbusPort), bytes => bytes is not null && bytes.SequenceEqual(Patterns(expected)),
                "the merged image's send blocks in registers 0.. of the Modbus endpoint", Patience);

            Assert.DoesNotContain(run.Lines, l => l.Text.Contains("differs from the config in the segment", StringComparison.Ordinal));
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

    /// <summary>The pattern bytes of each send block, concatenated.</summary>
    private static byte[] Patterns(ReadOnlySpan<byte> image)
    {
        var result = new byte[3 * PatternLength];
        for (var i = 0; i < 3; i++)
        {
            image.Slice((i * SendBlockBytes) + PatternOffset, PatternLength).CopyTo(result.AsSpan(i * PatternLength));
        }

        return result;
    }

    private static async Task<byte[]?> ReadS7PatternsAsync(int port)
    {
        var report = await Snap7ClientProcess.RunAsync(port, [Snap7ClientProcess.DbRead(1, 0, 3 * SendBlockBytes)]);
        if (report["connected"]?.GetValue<bool>() == false)
        {
            return null;
        }

        var result = report["results"]?[0];
        return result?["ok"]?.GetValue<bool>() == true ? Patterns(Convert.FromHexString((string)result["hex"]!)) : null;
    }

    private static async Task<byte[]?> ReadModbusPatternsAsync(int port)
    {
        JsonObject report;
        try
        {
            report = await PymodbusClientProcess.RunAsync(port, [PymodbusClientProcess.Holding(0, 3 * SendBlockBytes / 2)]);
        }
        catch (InvalidOperationException)
        {
            return null; // not listening yet
        }

        var result = report["results"]?[0];
        if (result?["ok"]?.GetValue<bool>() != true)
        {
            return null;
        }

        // Two image bytes per register, the first in the high byte.
        var registers = result["registers"]!.AsArray();
        var image = new byte[2 * registers.Count];
        for (var r = 0; r < registers.Count; r++)
        {
            int value = (int)registers[r]!;
            image[2 * r] = (byte)(value >> 8);
            image[(2 * r) + 1] = (byte)value;
        }

        return Patterns(image);
    }
}
