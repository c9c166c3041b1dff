using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "sched_get_priority_max", SetLastError = true)]
        internal static partial int SchedGetPriorityMax(int policy);
    }
}
