using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>mmap(2); failure is MAP_FAILED, i.e. (void*)-1.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

        internal static readonly nint MapFailed = -1;
    }
}
