using System.Diagnostics;

namespace EdgePartition.Testing.Peers;

/// <summary>
/// Runs tests/peers/modbus/pymodbus_server.py (Debian's python3-pymodbus, installed by tests/peers/install-modbus.sh)
/// on 127.0.0.1 with the data in <see cref="PymodbusKnownData"/>. Start on port 0 (the OS picks; read
/// <see cref="ScriptedPeerServer.Port"/>), stop it and start it again on the same port to simulate a device restart.
/// </summary>
public sealed class PymodbusServer : ScriptedPeerServer
{
    private PymodbusServer(int port)
        : base(port)
    {
    }

    public static string ScriptPath => Path.Combine(RepoPaths.PeersDirectory, "modbus", "pymodbus_server.py");

    protected override string Description => "pymodbus server";

    protected override TimeSpan DefaultStartTimeout => TestTimeouts.Default;

    /// <summary>Starts a server; <paramref name="port"/> 0 lets the OS pick.</summary>
    public static async Task<PymodbusServer> StartAsync(int port = 0, TimeSpan? timeout = null)
    {
        var server = new PymodbusServer(port);
        await server.LaunchAsync(timeout ?? server.DefaultStartTimeout).ConfigureAwait(false);
        return server;
    }

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo("/usr/bin/python3");
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(ScriptPath);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return info;
    }
}
