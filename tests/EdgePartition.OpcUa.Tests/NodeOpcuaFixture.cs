using EdgePartition.OpcUa.Client;
using EdgePartition.Testing.Peers;

namespace EdgePartition.OpcUa.Tests;

/// <summary>One node-opcua server shared by the client tests of a class (starting node-opcua takes seconds).</summary>
public sealed class NodeOpcuaFixture : IAsyncLifetime
{
    private NodeOpcuaServer? _server;

    public NodeOpcuaServer Server => _server ?? throw new InvalidOperationException("server not started");

    public async Task InitializeAsync() => _server = await NodeOpcuaServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public OpcUaClientOptions Options(int maxNodesPerRead = 1000) => new()
    {
        EndpointUrl = Server.EndpointUrl,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
        MaxNodesPerRead = maxNodesPerRead,
    };
}
