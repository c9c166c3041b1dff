using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Sets the mode explicitly because open(2)'s mode is filtered by the process umask.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "fchmod", SetLastError = true)]
        internal static partial int Fchmod(int fd, uint mode);
    }
}
