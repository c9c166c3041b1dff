using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>getppid(2): the parent's pid (1 or a subreaper's once the parent died).</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "getppid")]
        internal static partial int GetPpid();
    }
}
