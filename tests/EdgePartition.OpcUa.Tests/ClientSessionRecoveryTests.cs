using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Session recovery (Part 4 §6.7) against node-opcua through a loopback proxy that can drop or blackhole traffic.</summary>
public sealed class ClientSessionRecoveryTests : IClassFixture<ConformanceFixture>
{
    private static readonly NodeId CurrentSessionCount = new(0, 2277u);
    private readonly ConformanceFixture _fixture;

    public ClientSessionRecoveryTests(ConformanceFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task KeepAliveDetectsServerThatSilentlyDropsTraffic()
    {
        await using var proxy = new BlackholeProxy(_fixture.Server.Port);
        var observer = new RecordingObserver();
        await using var client = new OpcUaClient(_fixture.Server.Options(proxy.EndpointUrl) with
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
            RequestTimeout = TimeSpan.FromSeconds(1),
        });
        client.Attach(observer);
        await client.ConnectAsync(CancellationToken.None).WithTimeout();

        proxy.Blackhole();
        await Eventually.CompletesAsync(observer.Lost.Task, "the keep-alive noticing the blackholed server");
        Assert.False(client.IsConnected);
        Assert.Equal(ConnectionState.Faulted, client.State);

        proxy.Restore();
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(SessionRecovery.Reactivated, client.LastRecovery);
        Assert.Equal([SessionRecovery.Created, SessionRecovery.Reactivated], observer.Ready);
        var values = new DataValue[1];
        await client.ReadAsync([new NodeId(0, 2259u)], values, CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, values[0].StatusCode);
    }

    [Fact]
    public async Task FiftyForcedReconnectsReactivateTheSessionWithoutLeakingOne()
    {
        await using var monitor = new OpcUaClient(_fixture.Server.Options());
        await monitor.ConnectAsync(CancellationToken.None).WithTimeout();
        await using var proxy = new BlackholeProxy(_fixture.Server.Port);
        var observer = new RecordingObserver();
        await using var client = new OpcUaClient(_fixture.Server.Options(proxy.EndpointUrl));
        client.Attach(observer);
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var before = await SessionCountAsync(monitor);

        var values = new DataValue[1];
        for (var i = 0; i < 50; i++)
        {
            proxy.DropConnections();
            await Eventually.PollAsync(() => Task.FromResult(client.IsConnected), connected => !connected, "the client seeing the dropped connection");
            await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync([new NodeId(0, 2259u)], values, CancellationToken.None)).WithTimeout();
            await client.ConnectAsync(CancellationToken.None).WithTimeout();
            Assert.Equal(SessionRecovery.Reactivated, client.LastRecovery);
        }

        await client.ReadAsync([new NodeId(0, 2259u)], values, CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, values[0].StatusCode);
        Assert.Equal(before, await SessionCountAsync(monitor));
        Assert.Equal(51, proxy.Accepted);
        Assert.Equal(50, observer.Ready.Count(recovery => recovery == SessionRecovery.Reactivated));
        Assert.Equal(50, observer.LostCount);

        await client.DisconnectAsync();
        Assert.Equal(before - 1, await SessionCountAsync(monitor));
    }

    [Fact]
    public async Task SessionTheServerForgotIsReplacedOnTheNextConnect()
    {
        await using var monitor = new OpcUaClient(_fixture.Server.Options());
        await monitor.ConnectAsync(CancellationToken.None).WithTimeout();

        // A session timeout far below the keep-alive period: the server expires the session while the client is idle.
        await using var client = new OpcUaClient(_fixture.Server.Options() with
        {
            SessionTimeout = TimeSpan.FromMilliseconds(2000),
            KeepAliveInterval = TimeSpan.FromHours(1),
        });
        var observer = new RecordingObserver();
        client.Attach(observer);
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(TimeSpan.FromMilliseconds(2000), client.RevisedSessionTimeout);

        // Watched from another session, so that nothing touches the idle one until the server has dropped it.
        var sessions = await SessionCountAsync(monitor);
        await Eventually.PollAsync(() => SessionCountAsync(monitor), count => count == sessions - 1, "the server expiring the idle session");
        var values = new DataValue[1];
        var refused = (await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync([new NodeId(0, 2259u)], values, CancellationToken.None))
            .WithTimeout()).StatusCode;
        Assert.True(refused is StatusCodes.BadSessionIdInvalid or StatusCodes.BadSessionClosed, StatusCodes.Describe(refused));
        Assert.False(client.IsConnected);
        Assert.Equal(1, observer.LostCount);

        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(SessionRecovery.Replaced, client.LastRecovery);
        await client.ReadAsync([new NodeId(0, 2259u)], values, CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, values[0].StatusCode);
    }

    private static async Task<long> SessionCountAsync(OpcUaClient monitor)
    {
        var values = new DataValue[1];
        await monitor.ReadAsync([CurrentSessionCount], values, CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, values[0].StatusCode);
        return values[0].Value.AsInt64();
    }

    private sealed class RecordingObserver : ISessionObserver
    {
        public TaskCompletionSource Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<SessionRecovery> Ready { get; } = [];

        public int LostCount { get; private set; }

        public Task OnSessionReadyAsync(SessionRecovery recovery, CancellationToken cancellationToken)
        {
            Ready.Add(recovery);
            return Task.CompletedTask;
        }

        public void OnConnectionLost()
        {
            LostCount++;
            Lost.TrySetResult();
        }
    }
}
