namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static class Libraries
    {
        /// <summary>glibc on the Linux hosts we target: file, mapping, semaphore, clock, scheduler and syscall(2) all live here.</summary>
        internal const string Libc = "libc";
    }
}
