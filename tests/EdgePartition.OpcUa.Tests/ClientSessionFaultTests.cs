using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Failures on an established session, from <see cref="FakeUaServer"/>: which ones cost one request, which the channel.</summary>
public sealed class ClientSessionFaultTests
{
    private static readonly NodeId[] OneNode = [new NodeId(1, "x")];

    [Fact]
    public async Task ServiceFaultFailsOneRequestAndTheSessionGoesOn()
    {
        var calls = 0;
        await using var server = FakeUaServer.Start(async (stream, _, requestId, ct) =>
        {
            var body = Interlocked.Increment(ref calls) == 1
                ? FakeUaServer.Message(requestId, w => FakeUaServer.Header(w, ServiceIds.ServiceFault, StatusCodes.BadTooManyOperations))
                : FakeUaServer.Message(requestId, w => FakeUaServer.ReadResponse(w, 42));
            await stream.WriteAsync(body, ct);
        });
        await using var client = await ConnectAsync(server.EndpointUrl);
        var values = new DataValue[1];

        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync(OneNode, values, CancellationToken.None).WithTimeout());
        Assert.Equal((ProtocolErrorReason.PeerRejected, StatusCodes.BadTooManyOperations), (error.Reason, error.StatusCode));

        await client.ReadAsync(OneNode, values, CancellationToken.None).WithTimeout();
        Assert.Equal(42, values[0].Value.AsInt64());
    }

    [Fact]
    public async Task AbortChunkFailsOneRequestAndTheChannelStays()
    {
        var calls = 0;
        await using var server = FakeUaServer.Start(async (stream, _, requestId, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // An intermediate chunk, then 'A' with BadResponseTooLarge (0x80B90000) and a reason.
                await stream.WriteAsync(FakeUaServer.Message(requestId, w => w.WriteBytes([1, 2, 3]), kind: 'C'), ct);
                await stream.WriteAsync(FakeUaServer.Message(requestId, w => { w.WriteUInt32(0x80B90000); w.WriteString("too big"); }, kind: 'A'), ct);
                return;
            }

            await stream.WriteAsync(FakeUaServer.Message(requestId, w => FakeUaServer.ReadResponse(w, 7)), ct);
        });
        await using var client = await ConnectAsync(server.EndpointUrl);
        var values = new DataValue[1];

        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync(OneNode, values, CancellationToken.None).WithTimeout());
        Assert.Equal(0x80B90000u, error.StatusCode);
        Assert.Contains("too big", error.Message, StringComparison.Ordinal);
        Assert.True(client.IsConnected);

        await client.ReadAsync(OneNode, values, CancellationToken.None).WithTimeout();
        Assert.Equal(7, values[0].Value.AsInt64());
    }

    [Fact]
    public async Task ChunkForAnotherChannelFaultsTheConnection()
    {
        await using var server = FakeUaServer.Start(async (stream, _, requestId, ct) =>
            await stream.WriteAsync(FakeUaServer.Message(requestId, w => FakeUaServer.ReadResponse(w, 1), channelId: 99), ct));
        await using var client = await ConnectAsync(server.EndpointUrl);

        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync(OneNode, new DataValue[1], CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.MalformedFrame, error.Reason);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync(OneNode, new DataValue[1], CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ResultCountMismatchIsMalformed()
    {
        await using var server = FakeUaServer.Start(async (stream, _, requestId, ct) =>
            await stream.WriteAsync(FakeUaServer.Message(requestId, w => FakeUaServer.ReadResponse(w, 1, 2)), ct));
        await using var client = await ConnectAsync(server.EndpointUrl);

        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync(OneNode, new DataValue[1], CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.MalformedFrame, error.Reason);
    }

    [Fact]
    public async Task UnansweredRequestTimesOutAndALateAnswerIsDropped()
    {
        var calls = 0;
        uint firstRequest = 0;
        await using var server = FakeUaServer.Start(async (stream, _, requestId, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstRequest = requestId;
                return;
            }

            // The late answer to the first request arrives before the second's: it must not be taken for it.
            await stream.WriteAsync(FakeUaServer.Message(firstRequest, w => FakeUaServer.ReadResponse(w, 1)), ct);
            await stream.WriteAsync(FakeUaServer.Message(requestId, w => FakeUaServer.ReadResponse(w, 2)), ct);
        });
        await using var client = await ConnectAsync(server.EndpointUrl, requestTimeout: TimeSpan.FromMilliseconds(300));
        var values = new DataValue[1];

        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(() => client.ReadAsync(OneNode, values, CancellationToken.None).WithTimeout());
        Assert.Equal(ProtocolErrorReason.Timeout, error.Reason);

        await client.ReadAsync(OneNode, values, CancellationToken.None).WithTimeout();
        Assert.Equal(2, values[0].Value.AsInt64());
    }

    [Fact]
    public async Task DialedHostIsKeptWhenTheServerAdvertisesAnother()
    {
        await using var server = FakeUaServer.Start(async (stream, _, requestId, ct) =>
            await stream.WriteAsync(FakeUaServer.Message(requestId, w => FakeUaServer.ReadResponse(w, 5)), ct));
        await using var client = await ConnectAsync(server.EndpointUrl);
        Assert.Equal("127.0.0.1", client.Address.Host);
        var values = new DataValue[1];
        await client.ReadAsync(OneNode, values, CancellationToken.None).WithTimeout();
        Assert.Equal(5, values[0].Value.AsInt64());
    }

    private static async Task<OpcUaClient> ConnectAsync(string endpoint, TimeSpan? requestTimeout = null)
    {
        var client = new OpcUaClient(new OpcUaClientOptions
        {
            EndpointUrl = endpoint,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
        });
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        return client;
    }
}
