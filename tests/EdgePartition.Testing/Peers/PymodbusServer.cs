using System.Diagnostics;

namespace EdgePartition.Testing.Peers;

/// <summary>
/// Runs tests/peers/modbus/pymodbus_server.py (Debian's python3-pymodbus, installed by tests/peers/install-modbus.sh)
/// on 127.0.0.1 with the data in <see cref="PymodbusKnownData"/>. Start on port 0 (the OS picks; read
/// <see cref="Port"/>), stop it and start it again on the same port to simulate a device restart. The server exits
/// on its own when this process dies (it watches its stdin), so a crashed test leaks nothing.
/// </summary>
public sealed class PymodbusServer : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(20);
    private Process? _process;

    private PymodbusServer(int port) => Port = port;

    /// <summary>The loopback port the server listens on (stays the same across <see cref="RestartAsync"/>).</summary>
    public int Port { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    public static string ScriptPath => Path.Combine(RepoPaths.PeersDirectory, "modbus", "pymodbus_server.py");

    /// <summary>Starts a server; <paramref name="port"/> 0 lets the OS pick.</summary>
    public static async Task<PymodbusServer> StartAsync(int port = 0, TimeSpan? timeout = null)
    {
        var server = new PymodbusServer(port);
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

    /// <summary>Stops the server and starts a new one on the same port with the initial data.</summary>
    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        await StopAsync().ConfigureAwait(false);
        await LaunchAsync(timeout ?? DefaultStartTimeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task LaunchAsync(TimeSpan timeout)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(ScriptPath);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var stderr = new System.Text.StringBuilder();
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
                        $"pymodbus server exited with code {process.ExitCode} before listening (run tests/peers/install.sh): {errors}");
                }

                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                {
                    Port = int.Parse(line.AsSpan(10), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                }
            }

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
