using System.Runtime.InteropServices;

namespace EdgePartition.Hosting;

internal static partial class Interop
{
    // futex(2) operations; PRIVATE because the cycle loop's wake word never leaves the process.
    private const int FUTEX_WAKE = 1;
    private const int FUTEX_WAIT_BITSET = 9;
    private const int FUTEX_PRIVATE_FLAG = 128;
    private const int FUTEX_BITSET_MATCH_ANY = unchecked((int)0xFFFF_FFFF);

    /// <summary>glibc has no futex wrapper, so it goes through syscall(2) with the number of this architecture.</summary>
    private static readonly long SysFutex = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 or Architecture.LoongArch64 or Architecture.RiscV64 => 98,
        Architecture.Arm or Architecture.X86 => 240,
        _ => throw new PlatformNotSupportedException($"futex syscall number unknown for {RuntimeInformation.ProcessArchitecture}"),
    };

    [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long Syscall6(long number, nint arg1, nint arg2, nint arg3, nint arg4, nint arg5, nint arg6);

    /// <summary>
    /// Sleeps while <paramref name="word"/> still holds <paramref name="expected"/>, until an absolute CLOCK_MONOTONIC
    /// deadline. Returns 0 when woken, otherwise the errno (ETIMEDOUT, EAGAIN when the word already changed, EINTR).
    /// </summary>
    internal static unsafe int FutexWaitUntil(int* word, int expected, long deadlineNanoseconds)
    {
        var deadline = Timespec.FromNanoseconds(deadlineNanoseconds);
        long result = Syscall6(SysFutex, (nint)word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, (nint)(&deadline), 0, FUTEX_BITSET_MATCH_ANY);
        return result == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    internal static unsafe void FutexWake(int* word, int waiters)
        => Syscall6(SysFutex, (nint)word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, waiters, 0, 0, 0);
}
