using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(LibraryName, EntryPoint = "sem_post", SetLastError = true)]
        internal static partial int SemPost(nint semaphore);
    }
}
