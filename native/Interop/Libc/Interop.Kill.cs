using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int SIGKILL = 9;
        internal const int SIGTERM = 15;

        /// <summary>
        /// kill(2): signal 0 probes whether a process exists; SIGTERM asks a child to stop (Process.Kill only
        /// sends SIGKILL).
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
