using System.Diagnostics;
using System.Globalization;
using EdgePartition.OpcUa.Client;
using EdgePartition.Testing.Peers;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// tests/peers/opcua/server.mjs with <c>--subscription-space</c> (tests/peers/opcua/subscription-space.mjs): the usual
/// Plant variables plus Objects/Mass (10,000 Doubles changing every 100 ms, <c>ns=1;s=Mass.N</c>) and Objects/Analog
/// (<c>s=Analog.Level</c> with EURange 0..100, <c>s=Analog.Raw</c>), both writable.
/// </summary>
public sealed class SubscriptionPeerServer : ScriptedPeerServer
{
    private SubscriptionPeerServer(int port)
        : base(port)
    {
    }

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}";

    protected override string Description => "node-opcua server (subscription space)";

    protected override TimeSpan DefaultStartTimeout => TestTimeouts.Process;

    public static async Task<SubscriptionPeerServer> StartAsync(int port = 0)
    {
        var server = new SubscriptionPeerServer(port);
        await server.LaunchAsync(server.DefaultStartTimeout).ConfigureAwait(false);
        return server;
    }

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = Path.GetDirectoryName(NodeOpcuaServer.ScriptPath)! };
        info.ArgumentList.Add(NodeOpcuaServer.ScriptPath);
        info.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("600000");
        info.ArgumentList.Add("--subscription-space");
        return info;
    }
}

/// <summary>One subscription-space server per test class (it takes a while to start).</summary>
public sealed class SubscriptionPeerFixture : IAsyncLifetime
{
    private SubscriptionPeerServer? _server;

    public SubscriptionPeerServer Server => _server ?? throw new InvalidOperationException("server not started");

    public async Task InitializeAsync() => _server = await SubscriptionPeerServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public OpcUaClientOptions Options() => new()
    {
        EndpointUrl = Server.EndpointUrl,
        // Generous: the server may still be busy sampling a previous test's 10,000 items.
        ConnectTimeout = TestTimeouts.Scaled(TimeSpan.FromSeconds(30)),
        RequestTimeout = TestTimeouts.Scaled(TimeSpan.FromSeconds(30)),
    };
}
