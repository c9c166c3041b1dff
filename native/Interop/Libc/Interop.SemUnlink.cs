using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "sem_unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int SemUnlink(string name);
    }
}
