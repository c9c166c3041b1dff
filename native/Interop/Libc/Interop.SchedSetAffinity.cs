using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Size of glibc's cpu_set_t: 1024 CPUs.</summary>
        internal const int CpuSetBytes = 128;

        /// <summary>With pid 0 Linux pins the calling thread only.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "sched_setaffinity", SetLastError = true)]
        internal static unsafe partial int SchedSetAffinity(int pid, nuint cpuSetSize, byte* mask);
    }
}
