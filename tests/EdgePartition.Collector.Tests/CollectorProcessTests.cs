using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Collector.Tests;

/// <summary>The real `edgepart collector` process: config errors, an OPC UA server polled, a segment a reader sees, clean stop.</summary>
public sealed class CollectorProcessTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Process;

    private const string SimDevices = """
        <simDevices xmlns="urn:edgepartition:sim:1">
          <device name="simA">
            <pollGroup name="main" cycleMs="50">
              <tag name="counter" type="int32" generator="counter" periodMs="50" min="0" max="1000000"/>
              <tag name="setpoint" type="float32" generator="constant" value="1.5" writable="true"/>
            </pollGroup>
          </device>
          <device name="simB">
            <pollGroup name="main" cycleMs="100">
              <tag name="flag" type="bool" generator="square" periodMs="200" min="0" max="1"/>
            </pollGroup>
          </device>
        </simDevices>
        """;

    [Fact]
    public async Task InvalidConfigExitsWith78ListingEveryProblemBeforeTouchingDevices()
    {
        using var partition = TestPartition.Create("""
            <simDevices xmlns="urn:edgepartition:sim:1">
              <device name="bad name!">
                <pollGroup name="main" cycleMs="0">
                  <tag name="x" type="int32" generator="constant" value="1"/>
                </pollGroup>
              </device>
            </simDevices>
            """);
        await using var process = EdgepartProcess.Start("collector", partition.PartitionFile, "--protocol", "sim");

        var exitCode = await process.WaitForExitAsync(Timeout);

        Assert.True(exitCode == 78, process.Output);
        var problems = process.Lines.Where(l => l.Stream == OutputStream.StandardError && l.Text.Contains("devices.xml:", StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count >= 2, process.Output);
        Assert.All(problems, p => Assert.Matches(@"devices\.xml:\d+:\d+: ", p.Text));
        Assert.Empty(SegmentDirectory.List(TestPartition.ShmDirectory, partition.Name));
    }

    [Fact]
    public async Task OpcUaCollectorProcessPollsTheServerAndStopsCleanly()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        using var partition = TestPartition.Create($"""
            <opcUaDevices xmlns="urn:edgepartition:opcua:1">
              <device name="plant" endpointUrl="{server.EndpointUrl}" timeoutMs="3000">
                <pollGroup name="main" cycleMs="100">
                  <tag name="count" address="ns=1;s=Int32" type="Int32"/>
                  <tag name="counter" address="/1:Plant/1:Counter" type="UInt32"/>
                </pollGroup>
              </device>
            </opcUaDevices>
            """);
        await using var process = EdgepartProcess.Start("collector", partition.PartitionFile, "--protocol", "opcua");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plant");

        var first = await watch.WaitAsync(s => s.GetQuality(watch.Tag("counter")) == IpcQuality.Good, "plant polled", Timeout);
        Assert.Equal(123456789, first.GetInt32(watch.Tag("count")));
        var start = first.GetUInt32(watch.Tag("counter"));
        await watch.WaitAsync(s => s.GetUInt32(watch.Tag("counter")) > start, "server counter advancing", Timeout);

        process.Terminate();
        var exitCode = await process.WaitForExitAsync(Timeout);
        Assert.True(exitCode == 0, process.Output);
        Assert.Equal(ConnectionState.Stopped, (await watch.WaitAsync(s => s.Status.State == ConnectionState.Stopped, "plant stopped", Timeout)).Status.State);
    }

    [Fact]
    public async Task ProtocolWithoutDevicesExitsWith64()
    {
        using var partition = TestPartition.Create(SimDevices);
        await using var process = EdgepartProcess.Start("collector", partition.PartitionFile, "--protocol", "modbus");

        Assert.Equal(64, await process.WaitForExitAsync(Timeout));
        Assert.Contains("has no modbus devices", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondCollectorForTheSameDevicesFailsNamingTheLeaseHolder()
    {
        using var partition = TestPartition.Create(SimDevices);
        await using var first = EdgepartProcess.Start("collector", partition.PartitionFile, "--protocol", "sim");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "simB");
        await watch.WaitAsync(s => s.Status.State == ConnectionState.Connected, "first collector running", Timeout);

        await using var second = EdgepartProcess.Start("collector", partition.PartitionFile, "--protocol", "sim");
        var exitCode = await second.WaitForExitAsync(Timeout);

        Assert.True(exitCode != 0, second.Output);
        Assert.Contains($"another writer (pid {first.ProcessId}) holds the lease", second.Output, StringComparison.Ordinal);
        Assert.False(first.HasExited);
        Assert.Equal(ConnectionState.Connected, (await watch.WaitAsync(_ => true, "still served", Timeout)).Status.State);
    }

    [Fact]
    public async Task CollectorProcessWritesSegmentsReaderSeesAndStopsCleanlyOnSigterm()
    {
        using var partition = TestPartition.Create(SimDevices);
        using var notify = new NotifySocket();
        await using var process = EdgepartProcess.Start(
            new EdgepartStartOptions { Environment = new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path } },
            "collector", partition.PartitionFile, "--protocol", "sim");

        await notify.WaitForAsync("READY=1", Timeout);
        using var a = await SegmentWatch.OpenAsync(partition.Name, "simA");
        using var b = await SegmentWatch.OpenAsync(partition.Name, "simB");
        int counter = a.Tag("counter"), setpoint = a.Tag("setpoint");
        var first = await a.WaitAsync(s => s.GetQuality(counter) == IpcQuality.Good, "simA polled", Timeout);
        var start = first.GetInt32(counter);
        await a.WaitAsync(s => s.GetInt32(counter) > start, "simA counter advancing", Timeout);
        await b.WaitAsync(s => s.GetQuality(b.Tag("flag")) == IpcQuality.Good, "simB polled", Timeout);
        Assert.Equal(WriterLiveness.Alive, a.Reader.CheckLiveness());

        using (var queue = WriteQueue.Open(TestPartition.ShmDirectory, partition.Name, "simA"))
        {
            var request = queue.TryEnqueue(setpoint, 0, BitConverter.GetBytes(8.25f), "test", TimeSpan.FromSeconds(5));
            Assert.Equal(IpcQuality.Good, (await a.WaitForResultAsync(request.RequestId, Timeout)).StatusCode);
            await a.WaitAsync(s => s.GetFloat32(setpoint) == 8.25f, "written setpoint", Timeout);
        }

        await process.WaitForLineAsync(l => l.Text.Contains($"[{partition.Name}/collector-sim", StringComparison.Ordinal), Timeout);
        process.Terminate();
        var exitCode = await process.WaitForExitAsync(Timeout);

        Assert.True(exitCode == 0, process.Output);
        var stopped = await a.WaitAsync(s => s.Status.State == ConnectionState.Stopped, "simA stopped", Timeout);
        Assert.Equal(IpcQuality.BadOutOfService, stopped.GetQuality(counter));
        Assert.Equal(SegmentState.Stopped, a.Reader.State);
        Assert.Equal(SegmentState.Stopped, b.Reader.State);
        await notify.WaitForAsync("STOPPING=1", Timeout);
    }
}
