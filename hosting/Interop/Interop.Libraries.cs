namespace EdgePartition.Hosting;

internal static partial class Interop
{
    internal static partial class Libraries
    {
        /// <summary>glibc on the Linux hosts we target; syscall, clock and scheduler functions all live here.</summary>
        internal const string Libc = "libc";
    }
}
