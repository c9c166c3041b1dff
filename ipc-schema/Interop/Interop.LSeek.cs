using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(LibraryName, EntryPoint = "lseek", SetLastError = true)]
        internal static partial long LSeek(int fd, long offset, int whence);
    }
}
