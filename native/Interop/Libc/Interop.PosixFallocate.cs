using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int EFBIG = 27;
        internal const int ENOSPC = 28;

        /// <summary>
        /// posix_fallocate(3): reserves the blocks of a file before it is mapped, so a full tmpfs is an error here and
        /// not a SIGBUS on the first write through the mapping. Returns the error number itself (errno is not set).
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "posix_fallocate")]
        internal static partial int PosixFallocate(int fd, long offset, long length);
    }
}
