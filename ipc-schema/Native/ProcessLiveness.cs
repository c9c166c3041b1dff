using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// Whether a recorded process still runs. A process is identified by pid plus its start time (field 22 of /proc/&lt;pid&gt;/stat, clock ticks since boot),
/// so a reused pid is never mistaken for the original process.
/// </summary>
public static class ProcessLiveness
{
    private static readonly Lazy<ulong> CurrentStartTicks = new(() => ReadStartTicks(Environment.ProcessId));

    /// <summary>Start time of this process in clock ticks since boot.</summary>
    public static ulong CurrentProcessStartTicks => CurrentStartTicks.Value;

    /// <summary>The start time of <paramref name="pid"/>, or 0 when the process does not exist.</summary>
    public static ulong ReadStartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }

        // The command name (field 2) may contain spaces and parentheses: fields resume after the last ')'.
        var rest = stat.AsSpan(stat.LastIndexOf(')') + 1);
        var field = 2;
        foreach (var range in rest.Split(' '))
        {
            if (rest[range].IsEmpty)
            {
                continue;
            }

            field++;
            if (field == 22)
            {
                return ulong.TryParse(rest[range], out var ticks) ? ticks : 0;
            }
        }

        return 0;
    }

    /// <summary>
    /// True when <paramref name="pid"/> runs and, if <paramref name="startTicks"/> is not 0, started at that time.
    /// A process we may not signal (EPERM) still exists.
    /// </summary>
    public static bool IsAlive(int pid, ulong startTicks)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (Interop.Libc.Kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() == Interop.Libc.ESRCH)
        {
            return false;
        }

        if (startTicks == 0)
        {
            return true;
        }

        var actual = ReadStartTicks(pid);
        return actual == 0 || actual == startTicks;
    }
}
