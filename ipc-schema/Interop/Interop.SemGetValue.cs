using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(LibraryName, EntryPoint = "sem_getvalue", SetLastError = true)]
        internal static unsafe partial int SemGetValue(nint semaphore, int* value);
    }
}
