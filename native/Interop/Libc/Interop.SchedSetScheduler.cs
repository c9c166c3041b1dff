using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int SCHED_FIFO = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct SchedParam
        {
            internal int Priority;
        }

        /// <summary>With pid 0 Linux applies the policy to the calling thread only, which is what a cycle thread wants.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "sched_setscheduler", SetLastError = true)]
        internal static unsafe partial int SchedSetScheduler(int pid, int policy, SchedParam* param);
    }
}
