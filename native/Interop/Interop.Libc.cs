namespace EdgePartition.Native;

/// <summary>
/// P/Invoke declarations for the libc functions EdgePartition calls, one file per function as in dotnet/runtime.
/// Constants are those of the Linux asm-generic ABI, identical on x86-64 and ARM64.
/// </summary>
internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int O_RDONLY = 0x0;
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_EXCL = 0x80;
        internal const int O_CLOEXEC = 0x80000;

        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_SHARED = 0x1;

        internal const int LOCK_SH = 1;
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;
        internal const int LOCK_UN = 8;

        internal const int SEEK_END = 2;

        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int ESRCH = 3;
        internal const int EINTR = 4;
        internal const int EAGAIN = 11;
        internal const int EACCES = 13;
        internal const int EEXIST = 17;
        internal const int EINVAL = 22;
        internal const int ENOSYS = 38;
        internal const int ETIMEDOUT = 110;

        /// <summary>Segment, lock and queue files are readable by the service group, writable by the owner only.</summary>
        internal const uint FileMode0640 = 0x1A0;
    }
}
