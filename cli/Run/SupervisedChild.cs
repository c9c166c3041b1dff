using System.Diagnostics;
using EdgePartition.Hosting.Systemd;
using EdgePartition.Native;
using EdgePartition.Protocols;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Cli.Run;

/// <summary>
/// Keeps one child process of a partition running: starts it, forwards its output lines with a prefix, restarts it
/// with backoff when it dies, and on shutdown asks it to stop (SIGTERM) before killing it.
/// </summary>
internal sealed partial class SupervisedChild(ChildSpec spec, ILogger logger, TextWriter output)
{
    /// <summary>
    /// Exit codes that a restart cannot cure (EX_UNAVAILABLE, EX_CANTCREAT: the segment directory is full, EX_CONFIG):
    /// the child stays down.
    /// </summary>
    private static readonly int[] PermanentExitCodes = [69, Ipc.SegmentSpaceException.ExitCode, 78];

    // A crash loop must not spin; a child that ran for a minute before dying starts over from the shortest delay.
    private Backoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), stableAfter: TimeSpan.FromSeconds(60));

    public string Name => spec.Name;

    public int Restarts { get; private set; }

    public int? ProcessId { get; private set; }

    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var startedAt = Stopwatch.GetTimestamp();
            using var process = Start();
            var forwarding = Task.WhenAll(ForwardAsync(process.StandardOutput), ForwardAsync(process.StandardError));
            try
            {
                await process.WaitForExitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await StopAsync(process).ConfigureAwait(false);
                await forwarding.ConfigureAwait(false);
                return;
            }

            await forwarding.ConfigureAwait(false);
            ProcessId = null;
            var exitCode = process.ExitCode;
            if (Array.IndexOf(PermanentExitCodes, exitCode) >= 0)
            {
                LogPermanentExit(logger, spec.Name, exitCode);
                return;
            }

            var delay = _backoff.NextDelay(Stopwatch.GetElapsedTime(startedAt));
            LogRestarting(logger, spec.Name, exitCode, Stopwatch.GetElapsedTime(startedAt), delay);
            try
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Restarts++;
        }
    }

    private Process Start()
    {
        var startInfo = EdgepartExecutable.StartInfo(spec.Arguments);
        foreach (var name in SystemdWatchdog.EnvironmentVariables)
        {
            // Only the supervisor talks to systemd; a child notifying would confuse the unit's main-pid tracking.
            startInfo.Environment.Remove(name);
        }

        var process = ChildSpawner.Start(startInfo);
        ProcessId = process.Id;
        LogStarted(logger, spec.Name, process.Id);
        return process;
    }

    private async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        _ = Interop.Libc.Kill(process.Id, Interop.Libc.SIGTERM);
        using var grace = new CancellationTokenSource(StopGracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            LogStopped(logger, spec.Name, process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            LogKilled(logger, spec.Name, StopGracePeriod);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ForwardAsync(StreamReader reader)
    {
        var prefix = $"[{spec.Name}] ";
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            // Journal priority prefixes (<N>) stay first so journald still sees them.
            if (line.Length > 3 && line[0] == '<' && line[2] == '>')
            {
                await output.WriteLineAsync(string.Concat(line.AsSpan(0, 3), prefix, line.AsSpan(3))).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(prefix + line).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Started {Child} (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string child, int pid);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Child} exited with code {ExitCode} after {RunTime}; restarting in {Delay}")]
    private static partial void LogRestarting(ILogger logger, string child, int exitCode, TimeSpan runTime, TimeSpan delay);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "{Child} exited with code {ExitCode}, which a restart cannot cure; it stays down (see its messages above)")]
    private static partial void LogPermanentExit(ILogger logger, string child, int exitCode);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "{Child} stopped (exit code {ExitCode})")]
    private static partial void LogStopped(ILogger logger, string child, int exitCode);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "{Child} did not stop within {Grace} after SIGTERM; killed")]
    private static partial void LogKilled(ILogger logger, string child, TimeSpan grace);
}
