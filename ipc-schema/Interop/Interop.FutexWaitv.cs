using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

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

        /// <summary>SYS_futex_waitv (Linux 5.16+): 449 on both x86-64 and ARM64 (asm-generic table).</summary>
        internal static readonly long SysFutexWaitv =
            RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 ? 449 : -1;

        /// <summary>syscall(SYS_futex_waitv, waiters, count, flags, absolute timeout, clock id).</summary>
        [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial long FutexWaitvSyscall(long number, FutexWaitv* waiters, uint count, uint flags, Timespec* timeout, int clock);
    }
}
