using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgePartition.Northbound.Tests.Support;

/// <summary>
/// Debian's Mosquitto (tests/peers/install-mqtt.sh) on 127.0.0.1 with a generated config: a free port, optional
/// password file, persistence in a temporary directory (retained STATE survives a restart). Stop and start again
/// on the same port to simulate an outage.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private MosquittoBroker(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Uri => $"mqtt://127.0.0.1:{Port}";

    public static string Executable => File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

    /// <param name="users">User name and password pairs; with any, anonymous clients are refused.</param>
    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string>? users = null)
    {
        var directory = Directory.CreateTempSubdirectory("edgepart-mosquitto-").FullName;
        var broker = new MosquittoBroker(directory, FreePort());
        var config = new List<string>
        {
            $"listener {broker.Port} 127.0.0.1",
            "persistence true",
            $"persistence_location {directory}/",
            "autosave_interval 1",
            "log_dest stdout",
            "user root",
            // Lets the checker's persistent session keep QoS 0 Sparkplug data across a broker restart.
            "queue_qos0_messages true",
            "max_queued_messages 100000",
        };
        if (users is { Count: > 0 })
        {
            var passwords = Path.Combine(directory, "passwords");
            await File.WriteAllLinesAsync(passwords, users.Select(u => $"{u.Key}:{u.Value}")).ConfigureAwait(false);
            using (var hash = Process.Start(new ProcessStartInfo("mosquitto_passwd", ["-U", passwords]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
            {
                await hash.WaitForExitAsync().WithTimeout().ConfigureAwait(false);
            }

            config.Add("allow_anonymous false");
            config.Add($"password_file {passwords}");
        }
        else
        {
            config.Add("allow_anonymous true");
        }

        await File.WriteAllLinesAsync(Path.Combine(directory, "mosquitto.conf"), config).ConfigureAwait(false);
        await broker.StartAgainAsync().ConfigureAwait(false);
        return broker;
    }

    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Executable, ["-c", Path.Combine(_directory, "mosquitto.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.PollAsync(CanConnect, $"mosquitto listening on {Port}").ConfigureAwait(false);
    }

    /// <summary>SIGTERM (Mosquitto saves its database), then waits for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _ = Kill(process.Id, 15);
            await process.WaitForExitAsync().WithTimeout().ConfigureAwait(false);
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool CanConnect()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public override string ToString() => Uri.ToString(CultureInfo.InvariantCulture);
}
