namespace EdgePartition.Sync;

/// <summary>
/// The few libc calls sync makes itself: mapping a segment's first page read-only to reach its futex word, and
/// futex_waitv to sleep on every device's word at once. Constants are Linux asm-generic, same on x86-64 and ARM64.
/// </summary>
internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const string LibraryName = "libc";

        internal const int O_RDONLY = 0x0;
        internal const int O_CLOEXEC = 0x80000;
        internal const int PROT_READ = 0x1;
        internal const int MAP_SHARED = 0x1;
        internal const int CLOCK_MONOTONIC = 1;

        internal const int EINTR = 4;
        internal const int EAGAIN = 11;
        internal const int ENOSYS = 38;
        internal const int ETIMEDOUT = 110;

        internal static readonly nint MapFailed = -1;
    }
}
