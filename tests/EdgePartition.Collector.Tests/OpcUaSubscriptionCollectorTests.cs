using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Collector.Tests;

/// <summary>The OPC UA driver's subscription mode (the default) beside a poll-mode group, against node-opcua.</summary>
public sealed class OpcUaSubscriptionCollectorTests
{
    private static string Devices(string endpointUrl) => $"""
        <opcUaDevices xmlns="urn:edgepartition:opcua:1">
          <device name="plant" endpointUrl="{endpointUrl}" timeoutMs="3000">
            <pollGroup name="subscribed" cycleMs="100" queueSize="1">
              <tag name="counter" address="ns=1;s=Counter" type="UInt32"/>
              <tag name="level" address="ns=1;s=Double" type="Double" serverDeadband="0.5"/>
              <tag name="missing" address="ns=1;s=NoSuchNode" type="Int32"/>
            </pollGroup>
            <pollGroup name="polled" cycleMs="100" mode="poll">
              <tag name="polledCounter" address="ns=1;s=Counter" type="UInt32"/>
            </pollGroup>
          </device>
        </opcUaDevices>
        """;

    [Fact]
    public async Task SubscribedValuesFollowTheServerBesideAPolledGroup()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        using var partition = TestPartition.Create(Devices(server.EndpointUrl));
        await using var harness = WorkerHarness.Start(partition.Load(), "plant");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plant");
        var counter = watch.Tag("counter");
        var polled = watch.Tag("polledCounter");

        var first = await watch.WaitAsync(s => s.GetQuality(counter) == IpcQuality.Good && s.GetQuality(polled) == IpcQuality.Good, "first values");
        var start = first.GetUInt32(counter);
        var later = await watch.WaitAsync(s => s.GetUInt32(counter) >= start + 5, "the subscribed counter advancing");

        Assert.Equal(IpcQuality.Good, later.GetQuality(watch.Tag("level")));
        Assert.Equal(3.25, later.GetFloat64(watch.Tag("level")));
        Assert.True(later.GetSourceTimestamp(counter) > 0);

        // An unknown node is bad on its own (and retried); the others are good.
        Assert.Equal(0x80340000u, later.GetQuality(watch.Tag("missing")));
        Assert.Equal(ConnectionState.Connected, later.Status.State);
        Assert.True(later.Status.ReadsOk > 0);
    }
}
