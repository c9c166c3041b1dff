using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Server-side limits and namespace layouts, each on a node-opcua server started with that setting.</summary>
public sealed class ClientServerLimitsTests
{
    [Fact]
    public async Task RequestsAreSplitWithinTheServersOperationLimits()
    {
        await using var server = await ConformanceServer.StartAsync("--max-nodes-per-read=7", "--max-nodes-per-write=3", "--max-nodes-per-browse=2");
        await using var client = new OpcUaClient(server.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal((7u, 3u, 2u), (client.OperationLimits.MaxNodesPerRead, client.OperationLimits.MaxNodesPerWrite, client.OperationLimits.MaxNodesPerBrowse));

        // 150 nodes in one call: node-opcua refuses a Read of more than 7 with BadTooManyOperations, so this only works split.
        var nodes = Enumerable.Range(0, 150).Select(i => ClientConformanceTests.Node(client, $"Wide.Item{i:000}")).ToArray();
        var values = new DataValue[nodes.Length];
        await client.ReadAsync(nodes, values, CancellationToken.None).WithTimeout();
        Assert.Equal(Enumerable.Range(0, 150).Select(i => (long)i), values.Select(value => value.Value.AsInt64()));

        var targets = nodes[..10];
        var statuses = await client.WriteAsync(targets, [.. Enumerable.Range(0, 10).Select(i => DataValue.Of(Variant.FromInt32(i)))], CancellationToken.None)
            .WithTimeout();
        Assert.All(statuses, status => Assert.Equal(StatusCodes.Good, status));
    }

    [Fact]
    public async Task AbandonedBrowsesReleaseTheirContinuationPoints()
    {
        // The server keeps at most 2 continuation points per session: a third browse left open would get BadNoContinuationPoints.
        await using var server = await ConformanceServer.StartAsync("--max-continuation-points=2");
        await using var client = new OpcUaClient(server.Options() with { MaxReferencesPerNode = 5 });
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var wide = ClientConformanceTests.Node(client, "Wide");

        for (var i = 0; i < 6; i++)
        {
            var seen = 0;
            await foreach (var reference in client.BrowseChildrenAsync(wide, CancellationToken.None))
            {
                if (++seen == 8)
                {
                    break;
                }
            }

            Assert.Equal(8, seen);
        }

        for (var i = 0; i < 4; i++)
        {
            using var cancel = new CancellationTokenSource();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var reference in client.BrowseChildrenAsync(wide, cancel.Token))
                {
                    await cancel.CancelAsync();
                }
            }).WithTimeout();
        }

        var all = 0;
        await foreach (var reference in client.BrowseChildrenAsync(wide, CancellationToken.None))
        {
            all++;
        }

        Assert.Equal(150, all);
    }

    [Fact]
    public async Task NamespaceUrisFindTheSameNodesWhenTheServerReordersItsNamespaces()
    {
        await using var server = await ConformanceServer.StartAsync();
        var port = server.Port;
        await using var client = new OpcUaClient(server.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var before = client.Namespaces.IndexOf(ConformanceServer.Namespace);
        Assert.Equal("other namespace", await ReadMarkerAsync(client));

        // Restarted with its namespaces registered the other way round: the indexes swap, the URIs stay.
        await server.StopAsync();
        await using var reordered = await ConformanceServer.StartOnAsync(port, "--namespace-order=reversed");
        await Eventually.PollAsync(() => Task.FromResult(client.IsConnected), connected => !connected, "the client seeing the server restart");
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        Assert.Equal(SessionRecovery.Replaced, client.LastRecovery);
        Assert.NotEqual(before, client.Namespaces.IndexOf(ConformanceServer.Namespace));
        Assert.Equal("other namespace", await ReadMarkerAsync(client));
        var values = new DataValue[1];
        await client.ReadAsync([ClientConformanceTests.Node(client, "Deep.Level1.Level2.Level3.Level4.Level5.Level6.Leaf")], values, CancellationToken.None)
            .WithTimeout();
        Assert.Equal(6.5, values[0].Value.AsDouble());
    }

    private static async Task<string?> ReadMarkerAsync(OpcUaClient client)
    {
        var values = new DataValue[1];
        await client.ReadAsync([client.Namespaces.Parse($"nsu={ConformanceServer.OtherNamespace};s=Marker")], values, CancellationToken.None).WithTimeout();
        return values[0].Value.AsString();
    }
}
