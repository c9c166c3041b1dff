using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EdgePartition.Testing.Peers;

/// <summary>
/// A protocol peer run from a script under tests/peers that listens on 127.0.0.1, prints <c>LISTENING &lt;port&gt;</c>
/// once it accepts connections, and exits when its stdin closes (so a crashed test leaks no server). Start on port 0
/// (the script picks; read <see cref="Port"/>), stop it and start it again on the same port to simulate a device
/// restart.
/// </summary>
public abstract class ScriptedPeerServer : IAsyncDisposable
{
    private Process? _process;

    protected ScriptedPeerServer(int port) => Port = port;

    /// <summary>The loopback port the server listens on (stays the same across <see cref="RestartAsync"/>).</summary>
    public int Port { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the server is, for error messages ("pymodbus server").</summary>
    protected abstract string Description { get; }

    protected abstract TimeSpan DefaultStartTimeout { get; }

    /// <summary>The command that starts the server on <see cref="Port"/> (0: any free port).</summary>
    protected abstract ProcessStartInfo CreateStartInfo();

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

            using var cts = new CancellationTokenSource(TestTimeouts.Default);
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the script and waits (bounded) for its LISTENING line; its stderr goes into the error if it dies.</summary>
    protected async Task LaunchAsync(TimeSpan timeout)
    {
        var info = CreateStartInfo();
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
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
                        $"{Description} exited with code {process.ExitCode} before listening (run tests/peers/install.sh): {errors}");
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
