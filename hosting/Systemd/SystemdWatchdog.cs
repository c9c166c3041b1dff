using System.Globalization;

namespace EdgePartition.Hosting.Systemd;

/// <summary>The watchdog interval systemd asks for (WatchdogSec= in the unit), if any, for this process.</summary>
public static class SystemdWatchdog
{
    /// <summary>
    /// WATCHDOG_USEC in microseconds, honoured only when WATCHDOG_PID is unset or names this process (a child that
    /// inherited the variables must not feed its parent's watchdog).
    /// </summary>
    public static TimeSpan? IntervalFromEnvironment()
        => Interval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    internal static TimeSpan? Interval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) || usec == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    /// <summary>The variables a supervisor removes from its children's environment so only it talks to systemd.</summary>
    public static IReadOnlyList<string> EnvironmentVariables { get; } = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];
}
