using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Client.Subscriptions;
using EdgePartition.OpcUa.Types;
using EdgePartition.Testing.Peers;

namespace EdgePartition.OpcUa.Tests;

/// <summary>A subscribed client whose server is killed and started again (its own server: the test restarts it).</summary>
public sealed class SubscriptionRecoveryTests
{
    [Fact]
    public async Task ServerRestartedWhileSubscribedDeliversAgainWithoutDuplicates()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        await using var client = new OpcUaClient(new OpcUaClientOptions
        {
            EndpointUrl = server.EndpointUrl,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var handler = new RecordingHandler();
        var subscription = await client.CreateSubscriptionAsync(
            new SubscriptionSettings { PublishingInterval = TimeSpan.FromMilliseconds(100) }, handler, CancellationToken.None).WithTimeout();
        await subscription.AddItemsAsync([new MonitoredItemSettings(new NodeId(1, "Counter"), 1)], CancellationToken.None).WithTimeout();
        await Eventually.PollAsync(() => handler.ValuesOf(1).Length >= 3, "values before the restart");

        await server.RestartAsync();
        await Eventually.PollAsync(() => subscription.Status == StatusCodes.BadNoCommunication, "the subscription reporting the lost connection");
        var beforeReconnect = handler.ValuesOf(1).Length;

        // What the collector's worker does: connect again (a new session) until the server answers.
        await Eventually.PollAsync(
            async () =>
            {
                try
                {
                    await client.ConnectAsync(CancellationToken.None);
                    return true;
                }
                catch (OpcUaProtocolException)
                {
                    return false;
                }
            },
            connected => connected,
            "a reconnect to the restarted server",
            TestTimeouts.Process);

        await Eventually.PollAsync(() => handler.ValuesOf(1).Length >= beforeReconnect + 3, "values after the restart");
        Assert.Equal(StatusCodes.Good, subscription.Status);
        Assert.Contains(StatusCodes.BadNoCommunication, handler.Statuses);
        Assert.Equal(StatusCodes.Good, handler.Statuses[^1]);
        Assert.Single(client.Subscriptions);
        Assert.True(subscription.ServerId != 0);

        // Every notification once: no (source timestamp, value) pair delivered twice.
        var values = handler.ValuesOf(1);
        Assert.Equal(values.Length, values.Select(v => (v.SourceTimestamp, v.Value.AsUInt64())).Distinct().Count());
    }
}
