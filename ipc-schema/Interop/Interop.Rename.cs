using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Atomic replacement of a segment by a new layout: readers keep their mapping of the old file.</summary>
        [LibraryImport(LibraryName, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Rename(string oldPath, string newPath);
    }
}
