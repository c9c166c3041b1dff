using System.Runtime.InteropServices;

namespace EdgePartition.Cli.Run;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int SIGTERM = 15;

        /// <summary>kill(2): Process.Kill only sends SIGKILL, the supervisor first asks children to stop with SIGTERM.</summary>
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
