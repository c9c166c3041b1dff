using System.Buffers.Binary;
using System.Net;
using EdgePartition.Ipc;
using EdgePartition.S7;
using EdgePartition.S7.Server;

namespace EdgePartition.Consumers.Tests;

/// <summary>
/// The whole way a PLC value travels to an operator: a virtual PLC (protocols/S7 S7Server) → a real
/// `edgepart collector` process → the device segment in /dev/shm → a real `edgepart consumers` process → the
/// dashboard in headless chromium. The value is changed in the PLC's data block.
/// </summary>
public sealed class PlcToBrowserChainTests
{
    [Fact]
    public async Task ValueChangedInAVirtualPlcAppearsOnTheDashboard()
    {
        var partition = TestNames.Partition("b");
        var directory = Directory.CreateTempSubdirectory("edgepart-chain-");
        await using var plc = new S7Server();
        var db1 = plc.RegisterArea(S7Area.DB, 1, 64);
        BinaryPrimitives.WriteInt16BigEndian(db1.Span, 7);
        plc.Start(IPAddress.Loopback, 0);
        try
        {
            var file = WritePartition(directory.FullName, partition, plc.Port);
            await using var collector = EdgepartProcess.Start("collector", file, "--protocol", "s7");
            await using var consumers = EdgepartProcess.Start("consumers", file, "--port", "0");
            var listening = await consumers.WaitForLineAsync(l => l.Text.StartsWith("listening on ", StringComparison.Ordinal));
            var url = new Uri(listening.Text["listening on ".Length..]);

            var screenshot = RepoPaths.Combine("artifacts", "test-results", "consumers-plc-chain.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            File.Delete(screenshot);
            await using var browser = DashboardBrowserTests.BrowserScript.Start(url, "plc1", "counter", "4242", screenshot);
            Assert.Equal("ready", await browser.ReadLineAsync());

            plc.WriteArea(S7Area.DB, 1, 0, [0x10, 0x92]); // 4242 as a big-endian INT, as a PLC program would store it
            await browser.WriteLineAsync("go");
            Assert.Equal("seen", await browser.ReadLineAsync());
        }
        finally
        {
            SegmentDirectory.DeletePartition(SegmentNames.DefaultDirectory, partition);
            directory.Delete(recursive: true);
        }
    }

    private static string WritePartition(string directory, string partition, int port)
    {
        File.WriteAllText(Path.Combine(directory, "plcs.xml"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <s7Devices xmlns="urn:edgepartition:s7:1">
              <device name="plc1" host="127.0.0.1" port="{port}" rack="0" slot="1" timeoutMs="2000">
                <pollGroup name="main" cycleMs="50">
                  <tag name="counter" address="DB1.DBW0" type="INT"/>
                  <tag name="speed" address="DB1.DBD4" type="REAL"/>
                </pollGroup>
              </device>
            </s7Devices>
            """);
        var file = Path.Combine(directory, "partition.xml");
        File.WriteAllText(file, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <partition xmlns="urn:edgepartition:partition:1" name="{partition}" segmentDirectory="{SegmentNames.DefaultDirectory}">
              <include path="plcs.xml"/>
              <consumers>
                <http bind="127.0.0.1" port="8480"/>
              </consumers>
            </partition>
            """);
        return file;
    }
}
