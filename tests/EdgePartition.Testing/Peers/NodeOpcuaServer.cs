using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EdgePartition.Testing.Peers;

/// <summary>
/// Runs tests/peers/opcua/server.mjs (node-opcua, installed by tests/peers/install-opcua.sh) on 127.0.0.1 with
/// SecurityPolicy None and anonymous login; the variables it serves are listed at the top of the script
/// (namespace 1, <c>ns=1;s=Int32</c> etc.). Start on port 0 (the script picks a free port; read <see cref="Port"/>),
/// stop and start again on the same port to simulate a server restart. The server exits when its stdin closes,
/// so a crashed test leaks nothing.
/// </summary>
public sealed class NodeOpcuaServer : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
    private Process? _process;

    private readonly int? _tokenLifetimeMs;

    private NodeOpcuaServer(int port, int? tokenLifetimeMs)
    {
        Port = port;
        _tokenLifetimeMs = tokenLifetimeMs;
    }

    /// <summary>The loopback port the server listens on (stays the same across <see cref="RestartAsync"/>).</summary>
    public int Port { get; private set; }

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public static string ScriptPath => Path.Combine(RepoPaths.PeersDirectory, "opcua", "server.mjs");

    /// <summary>
    /// Starts a server; <paramref name="port"/> 0 lets it pick a free port. <paramref name="tokenLifetimeMs"/> caps
    /// the SecureChannel token lifetime it grants (node-opcua's floor is 2500 ms), to exercise token renewal.
    /// </summary>
    public static async Task<NodeOpcuaServer> StartAsync(int port = 0, TimeSpan? timeout = null, int? tokenLifetimeMs = null)
    {
        var server = new NodeOpcuaServer(port, tokenLifetimeMs);
        await server.LaunchAsync(timeout ?? DefaultStartTimeout).ConfigureAwait(false);
        return server;
    }

    /// <summary>Kills the server (clients see the connection drop) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Stops the server and starts a new one on the same port with the initial values.</summary>
    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        await StopAsync().ConfigureAwait(false);
        await LaunchAsync(timeout ?? DefaultStartTimeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task LaunchAsync(TimeSpan timeout)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ScriptPath)!,
        };
        info.ArgumentList.Add(ScriptPath);
        info.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        if (_tokenLifetimeMs is { } lifetime)
        {
            info.ArgumentList.Add(lifetime.ToString(CultureInfo.InvariantCulture));
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false);
                if (line is null)
                {
                    await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                    string errors;
                    lock (stderr)
                    {
                        errors = stderr.ToString();
                    }

                    throw new InvalidOperationException(
                        $"node-opcua server exited with code {process.ExitCode} before listening (run tests/peers/install.sh): {errors}");
                }

                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                {
                    Port = int.Parse(line.AsSpan(10), CultureInfo.InvariantCulture);
                    break;
                }
            }

            // Keep draining stdout so the server never blocks on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            _process = process;
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }
    }
}
