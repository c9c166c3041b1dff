using System.Runtime.InteropServices;

namespace EdgePartition.Native;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// Numbers of the syscalls glibc has no wrapper for, per architecture of this process; -1 where unknown, so
        /// a caller can say "unsupported" instead of a type initializer failing every libc call. Only 64-bit
        /// architectures are listed: <see cref="Timespec"/> is the 64-bit layout and the 32-bit ABIs need the
        /// *_time64 variants.
        /// </summary>
        internal static class SyscallNumbers
        {
            /// <summary>SYS_futex: 202 on x86-64, 98 in the asm-generic table (ARM64, RISC-V 64, LoongArch64).</summary>
            internal static readonly long Futex = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => 202,
                Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 98,
                _ => -1,
            };

            /// <summary>SYS_futex_waitv (Linux 5.16+): 449 in every table, added after the numbers were unified.</summary>
            internal static readonly long FutexWaitv = Futex < 0 ? -1 : 449;
        }
    }
}
