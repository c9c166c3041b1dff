using System.Globalization;
using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Cli.Hosting;

/// <summary>
/// A child's side of `edgepart run`: it dies with its supervisor. The kernel sends SIGTERM (a clean stop: leases
/// released, segments marked) when the supervisor dies, whatever killed it; and since the supervisor may have died
/// before the signal was armed, the parent is checked right after arming it.
/// </summary>
internal static class SupervisorLink
{
    private const string SupervisorPidVariable = "EDGEPART_SUPERVISOR_PID";

    /// <summary>Exit code of a child whose supervisor was already gone at start: nothing to run for.</summary>
    public const int ExitSupervisorGone = 0;

    /// <summary>
    /// When started by a supervisor: arms the parent-death signal and returns false if the supervisor is already gone
    /// (the caller exits). Ignores SIGHUP (a hangup of the terminal is the supervisor's to handle, not a child's).
    /// </summary>
    public static bool Attach(out PosixSignalRegistration? hangup)
    {
        hangup = null;
        if (Environment.GetEnvironmentVariable(SupervisorPidVariable) is not { } text
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var supervisor))
        {
            return true;
        }

        Environment.SetEnvironmentVariable(SupervisorPidVariable, null);
        hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);
        if (Interop.Libc.Prctl(Interop.Libc.PR_SET_PDEATHSIG, Interop.Libc.SIGTERM, 0, 0, 0) != 0)
        {
            Console.Error.WriteLine($"edgepart: cannot arm the parent-death signal (errno {Marshal.GetLastPInvokeError()}); this process would outlive its supervisor");
        }

        if (Interop.Libc.GetPpid() != supervisor)
        {
            Console.Error.WriteLine($"edgepart: the supervisor (pid {supervisor}) is gone; not starting");
            return false;
        }

        return true;
    }
}
