using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int CLOCK_MONOTONIC = 1;

        [LibraryImport(Libraries.Libc, EntryPoint = "clock_gettime", SetLastError = true)]
        internal static unsafe partial int ClockGetTime(int clockId, Timespec* time);
    }
}
