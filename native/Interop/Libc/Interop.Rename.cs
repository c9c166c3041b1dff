using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Atomic replacement of a segment by a new layout: readers keep their mapping of the old file.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Rename(string oldPath, string newPath);
    }
}
