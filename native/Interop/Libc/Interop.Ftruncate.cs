using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Only ever used on a freshly created file that nobody has mapped yet.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "ftruncate", SetLastError = true)]
        internal static partial int Ftruncate(int fd, long length);
    }
}
