using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "flock", SetLastError = true)]
        internal static partial int Flock(int fd, int operation);
    }
}
