using System.Diagnostics;
using System.Globalization;

namespace EdgePartition.Testing.Peers;

/// <summary>
/// Runs tests/peers/opcua/server.mjs (node-opcua, installed by tests/peers/install-opcua.sh) on 127.0.0.1 with
/// SecurityPolicy None and anonymous login; the variables it serves are listed at the top of the script
/// (namespace 1, <c>ns=1;s=Int32</c> etc.). Start on port 0 (the script picks a free port; read <see cref="ScriptedPeerServer.Port"/>),
/// stop and start again on the same port to simulate a server restart.
/// </summary>
public sealed class NodeOpcuaServer : ScriptedPeerServer
{
    private readonly int? _tokenLifetimeMs;

    private NodeOpcuaServer(int port, int? tokenLifetimeMs)
        : base(port) => _tokenLifetimeMs = tokenLifetimeMs;

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}";

    public static string ScriptPath => Path.Combine(RepoPaths.PeersDirectory, "opcua", "server.mjs");

    protected override string Description => "node-opcua server";

    protected override TimeSpan DefaultStartTimeout => TestTimeouts.Process;

    /// <summary>
    /// Starts a server; <paramref name="port"/> 0 lets it pick a free port. <paramref name="tokenLifetimeMs"/> caps
    /// the SecureChannel token lifetime it grants (node-opcua's floor is 2500 ms), to exercise token renewal.
    /// </summary>
    public static async Task<NodeOpcuaServer> StartAsync(int port = 0, TimeSpan? timeout = null, int? tokenLifetimeMs = null)
    {
        var server = new NodeOpcuaServer(port, tokenLifetimeMs);
        await server.LaunchAsync(timeout ?? server.DefaultStartTimeout).ConfigureAwait(false);
        return server;
    }

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = Path.GetDirectoryName(ScriptPath)! };
        info.ArgumentList.Add(ScriptPath);
        info.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        if (_tokenLifetimeMs is { } lifetime)
        {
            info.ArgumentList.Add(lifetime.ToString(CultureInfo.InvariantCulture));
        }

        return info;
    }
}
