using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;
using EdgePartition.Testing.Peers;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Servers that refuse, talk nonsense, go silent or die: the client fails typed and bounded, never hangs.</summary>
public sealed class ClientFaultTests
{
    [Fact]
    public async Task ErrInReplyToHelloFailsTheConnectWithItsStatus()
    {
        await using var server = new ScriptedServer(async (stream, ct) =>
        {
            await ScriptedServer.ReadMessageAsync(stream, ct);

            // ERR: BadTcpEndpointUrlInvalid (0x80830000) with reason "no".
            await stream.WriteAsync(Convert.FromHexString("45525246" + "12000000" + "00008380" + "020000006E6F"), ct);
        });
        await using var client = new OpcUaClient(Options(server.EndpointUrl));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(0x80830000u, error.StatusCode);
        Assert.Contains("no", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageAfterAcknowledgeFaultsAsMalformed()
    {
        await using var server = new ScriptedServer(async (stream, ct) =>
        {
            await ScriptedServer.ReadMessageAsync(stream, ct);
            await stream.WriteAsync(ScriptedServer.Acknowledge(), ct);
            await ScriptedServer.ReadMessageAsync(stream, ct);
            await stream.WriteAsync("XYZF\u0010\0\0\0garbage!"u8.ToArray(), ct);
        });
        await using var client = new OpcUaClient(Options(server.EndpointUrl));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.MalformedFrame, error.Reason);
    }

    [Fact]
    public async Task OversizedChunkIsRefusedBeforeReadingIt()
    {
        await using var server = new ScriptedServer(async (stream, ct) =>
        {
            await ScriptedServer.ReadMessageAsync(stream, ct);
            await stream.WriteAsync(ScriptedServer.Acknowledge(), ct);
            await ScriptedServer.ReadMessageAsync(stream, ct);
            await stream.WriteAsync(Convert.FromHexString("4F504E46" + "FFFFFF7F" + "00000000"), ct);
        });
        await using var client = new OpcUaClient(Options(server.EndpointUrl));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.LimitExceeded, error.Reason);
    }

    [Fact]
    public async Task SilentServerTimesOut()
    {
        await using var server = new ScriptedServer(async (stream, ct) => await ScriptedServer.ReadMessageAsync(stream, ct));
        await using var client = new OpcUaClient(Options(server.EndpointUrl) with { ConnectTimeout = TimeSpan.FromMilliseconds(500) });
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.Timeout, error.Reason);
    }

    [Fact]
    public async Task RefusedConnectionIsConnectionLost()
    {
        string endpoint;
        await using (var server = new ScriptedServer((_, _) => Task.CompletedTask))
        {
            endpoint = server.EndpointUrl;
        }

        await using var client = new OpcUaClient(Options(endpoint));
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.ConnectionClosed, error.Reason);
    }

    [Fact]
    public async Task KilledServerFailsReadsTypedAndReconnectWorksAfterRestart()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        await using var client = new OpcUaClient(Options(server.EndpointUrl));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var values = new DataValue[1];
        await client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout();

        await server.StopAsync();
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(async () =>
        {
            // The loss may surface on the first read or, if the FIN races the request, on the next.
            for (var i = 0; i < 2; i++)
            {
                await client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout();
            }
        });
        Assert.NotEqual(ProtocolErrorReason.MalformedFrame, error.Reason);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ConnectAsync(CancellationToken.None).WithTimeout());

        await server.RestartAsync();
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        await client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout();
        Assert.Equal(123456789, values[0].Value.AsInt64());
    }

    [Fact]
    public async Task RenewsTheChannelTokenAndKeepsReading()
    {
        await using var server = await NodeOpcuaServer.StartAsync(tokenLifetimeMs: 2500);
        await using var client = new OpcUaClient(Options(server.EndpointUrl));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var firstToken = client.ChannelTokenId;
        var values = new DataValue[1];

        // Keep reading until the renewal (due at 75 % of 2.5 s) has replaced the token; the client announces no renewal.
        var reads = 0;
        await Eventually.PollAsync(
            async () =>
            {
                await client.ReadAsync([new NodeId(1, "Counter")], values, CancellationToken.None).WithTimeout();
                Assert.Equal(StatusCodes.Good, values[0].StatusCode);
                reads++;
                return client.ChannelTokenId;
            },
            token => token != firstToken,
            "the channel token renewed");

        Assert.NotEqual(firstToken, client.ChannelTokenId);
        Assert.True(reads > 0);

        // A request under the new token is served on the same channel.
        await client.ReadAsync([new NodeId(1, "Int32")], values, CancellationToken.None).WithTimeout();
        Assert.Equal(123456789, values[0].Value.AsInt64());
        Assert.True(client.IsConnected);
    }

    private static OpcUaClientOptions Options(string endpoint) => new()
    {
        EndpointUrl = endpoint,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };
}
