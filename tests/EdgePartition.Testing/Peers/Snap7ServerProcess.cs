using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgePartition.Testing.Peers;

/// <summary>One memory area a snap7 server registers: <c>Area</c> is PE, PA, MK, CT, TM or DB (see <see cref="Snap7Peer.Areas"/>).</summary>
public sealed record Snap7Area(string Area, int Number, int Size, bool FillWithIndex = false);

/// <summary>How to start a snap7 S7Server: its areas, optional limits and an optional JS snippet of PLC logic.</summary>
public sealed class Snap7ServerOptions
{
    public IReadOnlyList<Snap7Area> Areas { get; init; } = [new Snap7Area("DB", 1, 1024)];

    public int? MaxClients { get; init; }

    /// <summary>The PDU size the server offers (snap7's default is 480).</summary>
    public int? PduRequest { get; init; }

    /// <summary>
    /// JavaScript run once after start with <c>server</c> (node-snap7 S7Server), <c>plc</c> (<c>get(area, n)</c>,
    /// <c>set(area, n, buffer)</c>, <c>update(area, n, buffer => ...)</c>; snap7 copies registered buffers) and <c>log(text)</c>
    /// in scope, e.g. a <c>setInterval</c> that increments a heartbeat with <c>plc.update</c>.
    /// </summary>
    public string? Script { get; init; }
}

/// <summary>
/// A snap7 S7Server in a node process on a loopback port the OS picks, driven over stdin/stdout: read and write
/// its areas, count clients, switch the CPU between run and stop, evaluate JS (server, plc, log in scope). Dispose stops it.
/// </summary>
public sealed class Snap7ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TestTimeouts.Default;

    private readonly Process _process;
    private readonly SemaphoreSlim _commandLock = new(1, 1);
    private readonly StringBuilder _log = new();

    private Snap7ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>Lines the JS script logged (for diagnostics).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<Snap7ServerProcess> StartAsync(Snap7ServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        Snap7Peer.EnsureInstalled();
        options ??= new Snap7ServerOptions();
        var json = JsonSerializer.Serialize(new
        {
            areas = options.Areas.Select(a => new { area = a.Area, number = a.Number, size = a.Size, fill = a.FillWithIndex ? "index" : "zero" }),
            maxClients = options.MaxClients,
            pduRequest = options.PduRequest,
            script = options.Script,
        });
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Snap7Peer.Directory,
        };
        start.ArgumentList.Add(Snap7Peer.ServerScript);
        start.ArgumentList.Add(json);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(DefaultTimeout);
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    string error;
                    lock (stderr)
                    {
                        error = stderr.ToString();
                    }

                    throw new InvalidOperationException($"snap7 server exited before it was ready: {error}");
                }

                if (line.StartsWith("ready ", StringComparison.Ordinal))
                {
                    return new Snap7ServerProcess(process, int.Parse(line.AsSpan(6), CultureInfo.InvariantCulture));
                }

                if (line.StartsWith("err ", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"snap7 server failed: {line}");
                }
            }
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public async Task<byte[]> ReadAsync(string area, int number, int offset, int length, CancellationToken cancellationToken = default)
    {
        var reply = await CommandAsync(string.Create(CultureInfo.InvariantCulture, $"read {area} {number} {offset} {length}"), cancellationToken);
        return Convert.FromHexString(reply);
    }

    public Task<byte[]> ReadDbAsync(int db, int offset, int length, CancellationToken cancellationToken = default) =>
        ReadAsync(Snap7Peer.Areas.DataBlock, db, offset, length, cancellationToken);

    public async Task WriteAsync(string area, int number, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        await CommandAsync(string.Create(CultureInfo.InvariantCulture, $"write {area} {number} {offset} {Convert.ToHexString(data.Span)}"), cancellationToken);

    public Task WriteDbAsync(int db, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        WriteAsync(Snap7Peer.Areas.DataBlock, db, offset, data, cancellationToken);

    public async Task<int> ClientsCountAsync(CancellationToken cancellationToken = default) =>
        int.Parse(await CommandAsync("clients", cancellationToken), CultureInfo.InvariantCulture);

    public async Task SetCpuRunningAsync(bool running, CancellationToken cancellationToken = default) =>
        await CommandAsync(running ? "cpu run" : "cpu stop", cancellationToken);

    /// <summary>Evaluates a JS expression in the server process (server, plc, log in scope); returns its JSON.</summary>
    public Task<string> EvalAsync(string expression, CancellationToken cancellationToken = default) =>
        CommandAsync("eval " + expression.ReplaceLineEndings(" "), cancellationToken);

    private async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultTimeout);
        await _commandLock.WaitAsync(timeout.Token);
        try
        {
            await _process.StandardInput.WriteLineAsync(command.AsMemory(), timeout.Token);
            await _process.StandardInput.FlushAsync(timeout.Token);
            while (true)
            {
                var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"snap7 server exited while running '{command}'");
                if (line.StartsWith("log ", StringComparison.Ordinal))
                {
                    lock (_log)
                    {
                        _log.AppendLine(line[4..]);
                    }

                    continue;
                }

                if (line == "ok")
                {
                    return "";
                }

                if (line.StartsWith("ok ", StringComparison.Ordinal))
                {
                    return line[3..];
                }

                throw new InvalidOperationException($"snap7 server: '{command}' failed: {line}");
            }
        }
        finally
        {
            _commandLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Closing stdin makes the script stop the server and exit.
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(DefaultTimeout);
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            Kill(_process);
        }
        finally
        {
            _process.Dispose();
            _commandLock.Dispose();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
