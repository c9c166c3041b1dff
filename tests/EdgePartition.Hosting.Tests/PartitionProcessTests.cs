using System.Collections.Concurrent;
using System.Diagnostics;
using EdgePartition.Hosting.Tests.ChildProcess;

namespace EdgePartition.Hosting.Tests;

/// <summary>
/// A real process, started the way systemd starts a Type=notify service with WatchdogSec= and journal output:
/// NOTIFY_SOCKET, WATCHDOG_USEC/WATCHDOG_PID and JOURNAL_STREAM in its environment, stdout read line by line.
/// </summary>
public sealed class PartitionProcessTests : IDisposable
{
    private readonly NotifySocketListener _systemd = NotifySocketListener.OnPath();
    private readonly BlockingCollection<string> _stdout = [];
    private readonly string _partition = TestNames.Partition("w");
    private Process? _child;

    [Fact]
    public async Task AHungCollectorStopsFeedingTheWatchdogAndLogsInJournalFormat()
    {
        _child = StartChild();

        await _systemd.ReceiveUntilAsync("READY=1");
        await _systemd.ReceiveUntilAsync("WATCHDOG=1");
        await _systemd.ReceiveUntilAsync("WATCHDOG=1");

        await _child.StandardInput.WriteLineAsync("hang");
        await _child.StandardInput.FlushAsync();
        Assert.Equal($"<4>[{_partition}/collector-sim/plc1] HungCollectorService: device call stuck: the cycle hangs", await StdoutLineContaining("device call stuck"));
        var withheld = await StdoutLineContaining("Withholding the systemd watchdog");
        Assert.StartsWith($"<3>[{_partition}/collector-sim] SystemdLifetimeService: Withholding the systemd watchdog: cycle collector silent", withheld);

        // Everything sent before the decision is ahead of the marker; after it, several intervals without WATCHDOG=1.
        // The quiet time is what is tested, so it is real time (a child process's watchdog cannot run on a fake clock).
        await _systemd.ReceiveUpToMarkerAsync();
        while (await _systemd.ReceiveAsync(TimeSpan.FromMilliseconds(1200)) is { } datagram)
        {
            Assert.DoesNotContain("WATCHDOG=1", NotifySocketListener.Assignments(datagram));
        }

        await _child.StandardInput.WriteLineAsync("resume");
        await _child.StandardInput.FlushAsync();
        await _systemd.ReceiveUntilAsync("WATCHDOG=1");

        await Terminate(_child);
        await _systemd.ReceiveUntilAsync("STOPPING=1");
        await _child.WaitForExitAsync().WaitAsync(TestTimeouts.Default);
        Assert.Equal(0, _child.ExitCode);
        Assert.All(_stdout, line => Assert.Matches(@"^<[0-7]>", line));
    }

    [Fact]
    public async Task WithoutSystemdTheProcessLogsPlainLinesAndSendsNothing()
    {
        _child = StartChild(systemd: false);

        var ready = await StdoutLineContaining("ready");
        Assert.Matches($@"^\d{{4}}-\d\d-\d\dT\S+ INF \[{_partition}/collector-sim\] SystemdLifetimeService: {_partition}/collector-sim ready$", ready);

        await Terminate(_child);
        await _child.WaitForExitAsync().WaitAsync(TestTimeouts.Default);
        Assert.Equal(0, _child.ExitCode);
        Assert.False(_systemd.HasPendingDatagram, "a process without NOTIFY_SOCKET sent a datagram"); // it has exited: all it sent is queued
    }

    public void Dispose()
    {
        if (_child is { HasExited: false })
        {
            _child.Kill(entireProcessTree: true);
            _child.WaitForExit(TestTimeouts.Default);
        }

        _child?.Dispose();
        _systemd.Dispose();
        _stdout.Dispose();
    }

    private Process StartChild(bool systemd = true)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        startInfo.ArgumentList.Add("exec");
        startInfo.ArgumentList.Add(typeof(ChildMain).Assembly.Location);
        startInfo.ArgumentList.Add(ChildMain.Verb);
        startInfo.ArgumentList.Add(_partition);
        foreach (var name in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM" })
        {
            startInfo.Environment.Remove(name);
        }

        if (systemd)
        {
            startInfo.Environment["NOTIFY_SOCKET"] = _systemd.NotifySocket;
            startInfo.Environment["WATCHDOG_USEC"] = "400000";
            startInfo.Environment["JOURNAL_STREAM"] = "8:424242";
        }

        var child = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the child process");
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Add(e.Data);
            }
        };
        child.BeginOutputReadLine();
        return child;
    }

    private async Task<string> StdoutLineContaining(string text)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        return await Task.Run(
            () =>
            {
                foreach (var line in _stdout.GetConsumingEnumerable(timeout.Token))
                {
                    if (line.Contains(text, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }

                throw new InvalidOperationException("stdout closed");
            },
            timeout.Token);
    }

    /// <summary>SIGTERM, as systemd stops a service (Process.Kill would send SIGKILL).</summary>
    private static async Task Terminate(Process process)
    {
        var (exitCode, _, stderr) = await ProcessRunner.RunAsync("/bin/sh", ["-c", "kill -TERM \"$0\"", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(exitCode == 0, stderr);
    }
}
