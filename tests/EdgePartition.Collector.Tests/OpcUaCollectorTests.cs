using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Collector.Tests;

/// <summary>The OPC UA driver against node-opcua (tests/peers/opcua/server.mjs): reads, writes, restarts, unsupported security.</summary>
public sealed class OpcUaCollectorTests
{
    private static string Devices(string endpointUrl, string attributes = "", string elements = "") => $"""
        <opcUaDevices xmlns="urn:edgepartition:opcua:1">
          <device name="plant" endpointUrl="{endpointUrl}" timeoutMs="3000" {attributes}>
            {elements}
            <pollGroup name="fast" cycleMs="50">
              <tag name="flag" address="ns=1;s=Bool" type="Boolean"/>
              <tag name="small" address="ns=1;s=Int16" type="Int16"/>
              <tag name="count" address="ns=1;s=Int32" type="Int32"/>
              <tag name="big" address="ns=1;s=UInt32" type="UInt32"/>
              <tag name="ratio" address="ns=1;s=Float" type="Float"/>
              <tag name="level" address="ns=1;s=Double" type="Double" scale="2" scaleOffset="1"/>
              <tag name="text" address="ns=1;s=String" type="String" stringLength="32"/>
              <tag name="stamp" address="ns=1;s=DateTime" type="DateTime"/>
              <tag name="curve" address="ns=1;s=DoubleArray" type="Double" length="5"/>
              <tag name="byPath" address="/1:Plant/1:Int32" type="Int32"/>
              <tag name="missing" address="ns=1;s=NoSuchNode" type="Int32"/>
            </pollGroup>
            <pollGroup name="writes" cycleMs="100">
              <tag name="setpoint" address="ns=1;s=Setpoint" type="Double" writable="true"/>
              <tag name="target" address="ns=1;s=WriteInt32" type="Int32" writable="true"/>
              <tag name="counter" address="ns=1;s=Counter" type="UInt32" writable="true"/>
            </pollGroup>
          </device>
        </opcUaDevices>
        """;

    [Fact]
    public async Task ValuesOfSeveralTypesArriveWithGoodQuality()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        using var partition = TestPartition.Create(Devices(server.EndpointUrl));
        await using var harness = WorkerHarness.Start(partition.Load(), "plant");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plant");

        var s = await watch.WaitAsync(s => s.GetQuality(watch.Tag("count")) == IpcQuality.Good && s.GetQuality(watch.Tag("byPath")) == IpcQuality.Good, "first read");

        Assert.True(s.GetBool(watch.Tag("flag")));
        Assert.Equal(-1234, s.GetInt16(watch.Tag("small")));
        Assert.Equal(123456789, s.GetInt32(watch.Tag("count")));
        Assert.Equal(4000000000u, s.GetUInt32(watch.Tag("big")));
        Assert.Equal(1.5f, s.GetFloat32(watch.Tag("ratio")));
        Assert.Equal(7.5, s.GetFloat64(watch.Tag("level")));
        Assert.Equal("hello edge", s.GetString(watch.Tag("text")));
        Assert.Equal(UnixTime.ToNs(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)), s.GetDateTime(watch.Tag("stamp")));
        Assert.Equal([1.0, 2, 3, 4, 5], Enumerable.Range(0, 5).Select(i => s.GetFloat64(watch.Tag("curve"), i)));
        Assert.Equal(123456789, s.GetInt32(watch.Tag("byPath")));
        Assert.Equal(0x80340000u, s.GetQuality(watch.Tag("missing")));
        Assert.True(s.GetSourceTimestamp(watch.Tag("count")) > 0);
        Assert.Equal(ConnectionState.Connected, s.Status.State);
        Assert.True(s.Status.BytesIn > 0);
    }

    [Fact]
    public async Task WriteRequestsLandInTheServerAndTheirResultsArePublished()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        using var partition = TestPartition.Create(Devices(server.EndpointUrl));
        await using var harness = WorkerHarness.Start(partition.Load(), "plant");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plant");
        await watch.WaitAsync(s => s.GetQuality(watch.Tag("setpoint")) == IpcQuality.Good, "first read");
        using var queue = WriteQueue.Open(TestPartition.ShmDirectory, partition.Name, "plant");
        var timeout = TimeSpan.FromSeconds(5);

        var setpoint = queue.TryEnqueue(watch.Tag("setpoint"), 0, BitConverter.GetBytes(12.25), "test", timeout);
        var target = queue.TryEnqueue(watch.Tag("target"), 0, BitConverter.GetBytes(-42), "test", timeout);
        var readOnly = queue.TryEnqueue(watch.Tag("counter"), 0, BitConverter.GetBytes(5u), "test", timeout);
        foreach (var request in new[] { setpoint, target })
        {
            var result = await watch.WaitForResultAsync(request.RequestId);
            Assert.True(result.StatusCode == IpcQuality.Good, $"request {request.RequestId}: {IpcQuality.Describe(result.StatusCode)} {result.Error}");
        }

        Assert.True(IpcQuality.IsBad((await watch.WaitForResultAsync(readOnly.RequestId)).StatusCode));
        await watch.WaitAsync(
            s => s.GetFloat64(watch.Tag("setpoint")) == 12.25 && s.GetInt32(watch.Tag("target")) == -42, "written values read back from the server");
    }

    [Fact]
    public async Task QualityGoesBadWhileTheServerIsDownAndGoodAgainAfterItRestarts()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        using var partition = TestPartition.Create(Devices(server.EndpointUrl));
        await using var harness = WorkerHarness.Start(partition.Load(), "plant");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plant");
        var count = watch.Tag("count");
        await watch.WaitAsync(s => s.GetQuality(count) == IpcQuality.Good, "first read");

        await server.StopAsync();
        var down = await watch.WaitAsync(s => IpcQuality.IsBad(s.GetQuality(count)) && s.Status.State != ConnectionState.Connected, "data bad while the server is down");
        Assert.NotEqual("", down.Status.GetLastError());

        await server.RestartAsync();
        var up = await watch.WaitAsync(
            s => s.GetQuality(count) == IpcQuality.Good && s.GetQuality(watch.Tag("byPath")) == IpcQuality.Good && s.Status.State == ConnectionState.Connected,
            "data good after the restart", TestTimeouts.Process);
        Assert.Equal(123456789, up.GetInt32(count));
        Assert.True(up.Status.Reconnects >= 1);
    }

    [Fact]
    public async Task UnreadableSecretFaultsTheDeviceNamingWhereItShouldComeFrom()
    {
        const string variable = "EDGEPART_TEST_UNSET_OPCUA_PASSWORD";
        using var partition = TestPartition.Create(Devices("opc.tcp://127.0.0.1:1", "", $"<user><userName name=\"edge\" passwordEnv=\"{variable}\"/></user>"));
        await using var harness = WorkerHarness.Start(partition.Load(), "plant");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plant");

        var s = await watch.WaitAsync(s => s.Status.State == ConnectionState.Faulted, "device faulted");
        Assert.Contains(variable, s.Status.GetLastError(), StringComparison.Ordinal);
        Assert.True(IpcQuality.IsBad(s.GetQuality(watch.Tag("count"))));
    }
}
