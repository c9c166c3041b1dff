using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "sem_getvalue", SetLastError = true)]
        internal static unsafe partial int SemGetValue(nint semaphore, int* value);
    }
}
