using System.Diagnostics;
using System.Threading.Channels;

namespace EdgePartition.Ipc.Tests.Support;

/// <summary>
/// A real child process (the test helper, python3, a C program) whose stdout lines tests await with a timeout.
/// Disposing kills it if it still runs, so no test leaks processes.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TestTimeouts.Process;

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringWriter _stderr = new();

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the IPC test helper (tests/EdgePartition.Ipc.TestProcess) with the given mode and arguments.</summary>
    public static ChildProcess StartHelper(params string[] arguments)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "EdgePartition.Ipc.TestProcess.dll");
        return Start(DotnetHost(), [helper, .. arguments]);
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                child._lines.Writer.TryComplete();
            }
            else
            {
                child._lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (child._stderr)
                {
                    child._stderr.WriteLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The next stdout line starting with <paramref name="prefix"/>; fails with stderr if the process ends first.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cancellation.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line starting with '{prefix}' from pid {Pid}; stderr: {StandardError}");
        }

        throw new InvalidOperationException($"pid {Pid} ended before printing '{prefix}'; stderr: {StandardError}");
    }

    /// <summary>Sends one line to the child's stdin.</summary>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes stdin (the helpers' signal to stop) and waits for a clean exit.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        _process.StandardInput.Close();
        return await WaitForExitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no cleanup handlers run, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await WaitForExitAsync();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    /// <summary>Parses "key=value" fields of a helper's output line.</summary>
    public static long Field(string line, string key)
    {
        foreach (var part in line.Split(' '))
        {
            if (part.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return long.Parse(part.AsSpan(key.Length + 1));
            }
        }

        throw new FormatException($"no {key}= in '{line}'");
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            return host;
        }

        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
    }
}
