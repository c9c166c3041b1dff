using System.Text.Json.Nodes;
using EdgePartition.Northbound.Tests.Support;

namespace EdgePartition.Northbound.Tests;

/// <summary>The real `edgepart northbound PARTITION.xml` process: its Will on SIGKILL, and its store across a SIGKILL mid-outage.</summary>
public sealed class NorthboundProcessTests
{
    [Fact]
    public async Task KilledPublisherGetsItsWillAndAfterAKillMidOutageItsStoreIsReplayed()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var checker = await SparkplugChecker.StartAsync(broker, session: $"checker-{Guid.NewGuid():N}");
        var partition = TestNames.Partition("np");
        var directory = Directory.CreateTempSubdirectory("edgepart-nbp-").FullName;
        try
        {
            using var device = new SimDevice(directory, partition, "plc1");
            device.Cycle(1);
            var file = WritePartition(directory, partition, broker.Port);

            // 1. SIGKILL: the broker publishes the Will, an NDEATH with the bdSeq of the session's NBIRTH.
            ulong firstBdSeq;
            await using (var first = EdgepartProcess.Start("northbound", file))
            {
                var birth = await checker.WaitForMessageAsync("NBIRTH", includePast: true);
                await checker.WaitForMessageAsync("DBIRTH", "plc1", includePast: true);
                firstBdSeq = (ulong)birth["bdSeq"]!;
                first.Kill();
                var death = await checker.WaitForMessageAsync("NDEATH", includePast: true);
                Assert.Equal(firstBdSeq, (ulong)death["bdSeq"]!);
            }

            // 2. A new process: the next bdSeq (kept on disk), then the broker goes away and changes are stored.
            var status = Path.Combine(directory, $"edgepart.{partition}.northbound.json");
            await using (var second = EdgepartProcess.Start("northbound", file))
            {
                await checker.WaitForAsync(_ => checker.Messages("NBIRTH").Count >= 2, "the second NBIRTH");
                Assert.Equal(firstBdSeq + 1, (ulong)checker.Messages("NBIRTH")[1]["bdSeq"]!);
                await checker.WaitForAsync(_ => checker.Messages("DBIRTH").Count >= 2, "the second DBIRTH");
                await broker.StopAsync();
                await Eventually.PollAsync(() => second.Output.Contains("session lost", StringComparison.Ordinal), "the publisher saw the broker go\n" + second.Output);
                for (var i = 1; i <= 30; i++)
                {
                    device.SetCount(i);
                    var stored = i;
                    await Eventually.PollAsync(() => StoredMessages(status) >= stored, $"change {stored} stored");
                }

                second.Kill();
                await second.WaitForExitAsync();
            }

            // 3. Broker back, publisher restarted: the store survived the SIGKILL and is replayed as history.
            await broker.StartAgainAsync();
            await using var third = EdgepartProcess.Start("northbound", file);
            await checker.WaitForMessageAsync("DDATA", "plc1", includePast: true, also: m => m["metrics"]!.AsArray().Any(x => (bool)x!["historical"]! && (int)x["value"]! == 30));
            var history = checker.Messages("DDATA").Where(m => m["metrics"]!.AsArray().All(x => (bool)x!["historical"]!)).Select(m => (int)m["metrics"]![0]!["value"]!).ToList();
            Assert.Equal(Enumerable.Range(1, 30), history);
            Assert.Empty(checker.Violations);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long StoredMessages(string statusFile)
    {
        try
        {
            return (long)JsonNode.Parse(File.ReadAllText(statusFile))!["storedMessages"]!;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return -1;
        }
    }

    private static string WritePartition(string directory, string partition, int port)
    {
        File.WriteAllText(Path.Combine(directory, "devices.xml"), """
            <simDevices xmlns="urn:edgepartition:sim:1">
              <device name="plc1">
                <pollGroup name="fast" cycleMs="100">
                  <tag name="Count" type="int32" generator="constant" value="1"/>
                </pollGroup>
              </device>
            </simDevices>
            """);
        var file = Path.Combine(directory, "partition.xml");
        File.WriteAllText(file, $"""
            <partition xmlns="urn:edgepartition:partition:1" name="{partition}" segmentDirectory="{directory}">
              <include path="devices.xml"/>
              <northbound groupId="Plant" reconnectMinMs="100" reconnectMaxMs="400">
                <broker uri="mqtt://127.0.0.1:{port}"/>
                <store directory="{directory}/state" replayPerSecond="2000" fsync="Always"/>
              </northbound>
            </partition>
            """);
        return file;
    }
}
