using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>sem_timedwait with an absolute CLOCK_REALTIME deadline; ETIMEDOUT when it passes.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "sem_timedwait", SetLastError = true)]
        internal static unsafe partial int SemTimedWait(nint semaphore, Timespec* absoluteTimeout);
    }
}
