using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgePartition.Cli.Run;

/// <summary>
/// Starts every child process of the supervisor from one dedicated thread that lives as long as the supervisor.
/// A child arms PR_SET_PDEATHSIG, and the kernel counts as its "parent" the thread that forked it: a child started
/// from a thread-pool thread would be signalled when the pool retires that idle thread. One long-lived thread makes
/// the signal mean what it should: the supervisor is gone.
/// </summary>
internal static class ChildSpawner
{
    /// <summary>Tells a child which process supervises it, so it can check its parent after arming the signal.</summary>
    public const string SupervisorPidVariable = "EDGEPART_SUPERVISOR_PID";

    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Done)> Requests = [];
    private static readonly Lazy<Thread> Spawner = new(() =>
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "edgepart child spawner" };
        thread.Start();
        return thread;
    });

    public static Process Start(ProcessStartInfo startInfo)
    {
        startInfo.Environment[SupervisorPidVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _ = Spawner.Value;
        var done = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((startInfo, done));
        return done.Task.GetAwaiter().GetResult();
    }

    private static void Run()
    {
        foreach (var (start, done) in Requests.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }
}
