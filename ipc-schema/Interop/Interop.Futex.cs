using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Shared (not PRIVATE) operations: the futex word lives in a file mapping used by other processes.</summary>
        internal const int FUTEX_WAIT = 0;
        internal const int FUTEX_WAKE = 1;

        /// <summary>SYS_futex differs per architecture: 202 on x86-64, 98 on ARM64 (asm-generic).</summary>
        internal static readonly long SysFutex = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 202,
            Architecture.Arm64 => 98,
            var other => throw new PlatformNotSupportedException($"futex syscall number unknown for {other}"),
        };

        /// <summary>syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3); all arguments are integers or pointers.</summary>
        [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial long Futex(long number, uint* address, int operation, uint value, Timespec* timeout, nint address2, uint value3);
    }
}
