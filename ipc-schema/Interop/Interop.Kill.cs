using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>kill(pid, 0) probes whether a process exists without signalling it.</summary>
        [LibraryImport(LibraryName, EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);
    }
}
