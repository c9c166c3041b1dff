using System.Runtime.InteropServices;

namespace EdgePartition.Cli.Tests;

/// <summary>Signals to processes the test did not start itself (children of the supervisor).</summary>
internal static partial class EdgepartProcessSignals
{
    private const int SigKill = 9;

    public static void Kill(int pid)
    {
        if (NativeKill(pid, SigKill) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGKILL) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}
