using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>struct futex_waitv: expected value, word address, flags, reserved (24 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct FutexWaitv
        {
            internal ulong Value;
            internal ulong Address;
            internal uint Flags;
            internal uint Reserved;
        }

        /// <summary>A 32-bit futex word (FUTEX2_SIZE_U32); not FUTEX2_PRIVATE, the words live in shared file mappings.</summary>
        internal const uint FUTEX2_SIZE_U32 = 0x02;

        /// <summary>The kernel's limit on one futex_waitv call (FUTEX_WAITV_MAX).</summary>
        internal const int FutexWaitvMax = 128;

        /// <summary>syscall(SYS_futex_waitv, waiters, count, flags, absolute timeout, clock id); pass <see cref="SyscallNumbers.FutexWaitv"/>.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial long FutexWaitvSyscall(long number, FutexWaitv* waiters, uint count, uint flags, Timespec* timeout, int clock);
    }
}
