using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>sem_open(name, oflag, mode, value); returns SEM_FAILED (null) on error.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "sem_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint SemOpen(string name, int flags, uint mode, uint value);
    }
}
