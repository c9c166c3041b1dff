using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int Munmap(nint address, nuint length);
    }
}
