using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgePartition.Testing;

/// <summary>Which output stream a line came from.</summary>
public enum OutputStream
{
    StandardOutput,
    StandardError,
}

/// <summary>One captured output line.</summary>
public sealed record OutputLine(OutputStream Stream, string Text);

/// <summary>
/// A real `edgepart` process for tests: `dotnet edgepart.dll ARGS` (the test project references
/// cli/EdgePartition.Cli.csproj, so edgepart.dll sits next to the tests). Captures stdout and stderr line by line,
/// waits for a line matching a predicate with a timeout, sends SIGTERM or SIGKILL, and kills the process on
/// dispose so a failing test leaks nothing. The systemd variables of the test runner are removed from its
/// environment; set <see cref="EdgepartStartOptions.Environment"/> to pass a NOTIFY_SOCKET of the test's own.
/// </summary>
public sealed partial class EdgepartProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly string[] SystemdVariables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "JOURNAL_STREAM"];

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<OutputLine> _lines = [];
    private readonly List<(Func<OutputLine, bool> Match, TaskCompletionSource<OutputLine> Done)> _waiters = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EdgepartProcess(Process process) => _process = process;

    /// <summary>Where edgepart.dll is: beside the test assembly.</summary>
    public static string DefaultDllPath => Path.Combine(AppContext.BaseDirectory, "edgepart.dll");

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line captured so far (both streams, in arrival order).</summary>
    public IReadOnlyList<OutputLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>All captured output as text, for assertion messages.</summary>
    public string Output
    {
        get
        {
            var text = new StringBuilder();
            foreach (var line in Lines)
            {
                text.Append(line.Stream == OutputStream.StandardError ? "err| " : "out| ").AppendLine(line.Text);
            }

            return text.ToString();
        }
    }

    /// <summary>Starts `dotnet edgepart.dll` with <paramref name="args"/>.</summary>
    public static EdgepartProcess Start(params string[] args) => Start(new EdgepartStartOptions(), args);

    public static EdgepartProcess Start(EdgepartStartOptions options, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dll = options.DllPath ?? DefaultDllPath;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: reference cli/EdgePartition.Cli.csproj from the test project", dll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in SystemdVariables)
        {
            info.Environment.Remove(name);
        }

        // Plain log lines, no colours, whatever the terminal of the test runner.
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var edgepart = new EdgepartProcess(process);
        process.OutputDataReceived += (_, e) => edgepart.OnLine(OutputStream.StandardOutput, e.Data);
        process.ErrorDataReceived += (_, e) => edgepart.OnLine(OutputStream.StandardError, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return edgepart;
    }

    /// <summary>The first line (already captured or still to come) that matches; throws with the output so far on timeout or exit.</summary>
    public async Task<OutputLine> WaitForLineAsync(Func<OutputLine, bool> match, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var done = new TaskCompletionSource<OutputLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _lines)
            {
                if (match(line))
                {
                    return line;
                }
            }

            _waiters.Add((match, done));
        }

        var outputEnded = Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task);
        var limit = timeout ?? TestTimeouts.Process;
        try
        {
            await Task.WhenAny(done.Task, outputEnded).WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported below, with the output so far.
        }
        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Done == done);
        }

        if (done.Task.IsCompleted)
        {
            return await done.Task.ConfigureAwait(false);
        }

        var why = outputEnded.IsCompleted ? "the process ended its output" : $"no matching line within {limit.TotalSeconds:0} s";
        throw new TimeoutException($"edgepart: {why}. Output so far:\n{Output}");
    }

    /// <summary>Waits for a line containing <paramref name="text"/> (ordinal) on either stream.</summary>
    public Task<OutputLine> WaitForLineAsync(string text, TimeSpan? timeout = null) =>
        WaitForLineAsync(line => line.Text.Contains(text, StringComparison.Ordinal), timeout);

    /// <summary>Waits for the process to exit and its output to be read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeouts.Process);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"edgepart did not exit within {(timeout ?? TestTimeouts.Process).TotalSeconds:0} s. Output so far:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM (what systemd sends on stop).</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>Sends SIGKILL (a crash, as far as the other processes can tell).</summary>
    public void Kill() => Signal(SigKill);

    /// <summary>
    /// SIGKILL to a process the test did not start itself, such as a child of the `edgepart run` supervisor.
    /// </summary>
    public static void KillProcess(int pid)
    {
        if (Interop.Kill(pid, SigKill) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGKILL) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Sends a signal to the process; nothing when it has already exited.</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited && Interop.Kill(_process.Id, signal) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Kills the process if it still runs and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(OutputStream stream, string? text)
    {
        if (text is null)
        {
            (stream == OutputStream.StandardOutput ? _stdoutClosed : _stderrClosed).TrySetResult();
            return;
        }

        var line = new OutputLine(stream, text);
        List<TaskCompletionSource<OutputLine>>? matched = null;
        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters)
            {
                if (waiter.Match(line))
                {
                    (matched ??= []).Add(waiter.Done);
                }
            }
        }

        if (matched is not null)
        {
            foreach (var done in matched)
            {
                done.TrySetResult(line);
            }
        }
    }

    private static partial class Interop
    {
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }
}

/// <summary>How to start an <see cref="EdgepartProcess"/>.</summary>
public sealed record EdgepartStartOptions
{
    /// <summary>edgepart.dll to run; default beside the test assembly.</summary>
    public string? DllPath { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
