using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "lseek", SetLastError = true)]
        internal static partial long LSeek(int fd, long offset, int whence);
    }
}
