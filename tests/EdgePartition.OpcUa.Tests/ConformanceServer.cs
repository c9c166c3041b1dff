using System.Diagnostics;
using System.Globalization;
using EdgePartition.OpcUa.Client;
using EdgePartition.Testing.Peers;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// tests/peers/opcua/server.mjs started with --conformance: the address space of tests/peers/opcua/conformance-space.mjs
/// (every built-in type, arrays, a matrix, a structure, access levels, a wide and a deep folder tree) plus the
/// server-side limits given as flags (operation limits, continuation points, namespace order).
/// </summary>
public sealed class ConformanceServer : ScriptedPeerServer
{
    public const string Namespace = "urn:edgepartition:conformance";
    public const string OtherNamespace = "urn:edgepartition:other";

    private readonly string[] _flags;

    private ConformanceServer(int port, string[] flags)
        : base(port) => _flags = flags;

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}";

    protected override string Description => "node-opcua conformance server";

    protected override TimeSpan DefaultStartTimeout => TestTimeouts.Process;

    /// <summary>Starts a server; <paramref name="flags"/> as in conformance-space.mjs, e.g. "--max-nodes-per-read=5".</summary>
    public static async Task<ConformanceServer> StartAsync(params string[] flags) => await StartOnAsync(0, flags);

    public static async Task<ConformanceServer> StartOnAsync(int port, params string[] flags)
    {
        var server = new ConformanceServer(port, flags);
        await server.LaunchAsync(TestTimeouts.Process);
        return server;
    }

    public OpcUaClientOptions Options(string? endpointUrl = null) => new()
    {
        EndpointUrl = endpointUrl ?? EndpointUrl,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    protected override ProcessStartInfo CreateStartInfo()
    {
        var script = NodeOpcuaServer.ScriptPath;
        var info = new ProcessStartInfo("node") { WorkingDirectory = Path.GetDirectoryName(script)! };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("600000");
        info.ArgumentList.Add("--conformance");
        foreach (var flag in _flags)
        {
            info.ArgumentList.Add(flag);
        }

        return info;
    }
}

/// <summary>One conformance server (no limits) shared by a test class.</summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    private ConformanceServer? _server;

    public ConformanceServer Server => _server ?? throw new InvalidOperationException("server not started");

    public async Task InitializeAsync() => _server = await ConformanceServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
