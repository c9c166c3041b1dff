using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Shared operations: for futex words in file mappings used by other processes.</summary>
        internal const int FUTEX_WAIT = 0;
        internal const int FUTEX_WAKE = 1;

        /// <summary>Absolute-deadline wait; with <see cref="FUTEX_BITSET_MATCH_ANY"/> it is FUTEX_WAIT on CLOCK_MONOTONIC.</summary>
        internal const int FUTEX_WAIT_BITSET = 9;

        /// <summary>For words that never leave the process: the kernel skips the shared-mapping lookup.</summary>
        internal const int FUTEX_PRIVATE_FLAG = 128;

        internal const uint FUTEX_BITSET_MATCH_ANY = 0xFFFF_FFFF;

        /// <summary>
        /// syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3): glibc has no futex wrapper. Pass
        /// <see cref="SyscallNumbers.Futex"/> (callers check it is not -1).
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial long Futex(long number, uint* address, int operation, uint value, Timespec* timeout, nint address2, uint value3);
    }
}
