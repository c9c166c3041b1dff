using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// FUTEX_PRIVATE waits and wakes on a word that never leaves the process (the cycle loop's wake word), with an
/// absolute CLOCK_MONOTONIC deadline so it matches <see cref="MonotonicClock"/> exactly.
/// </summary>
internal static unsafe class PrivateFutex
{
    private static readonly long SyscallNumber = Interop.Libc.SyscallNumbers.Futex >= 0
        ? Interop.Libc.SyscallNumbers.Futex
        : throw new PlatformNotSupportedException($"futex syscall number unknown for {RuntimeInformation.ProcessArchitecture}");

    /// <summary>
    /// Sleeps while <paramref name="word"/> still holds <paramref name="expected"/>, until the deadline. Returns 0
    /// when woken, otherwise the errno (ETIMEDOUT, EAGAIN when the word already changed, EINTR).
    /// </summary>
    public static int WaitUntil(int* word, int expected, long deadlineNanoseconds)
    {
        var deadline = Interop.Libc.Timespec.FromNanoseconds(deadlineNanoseconds);
        long result = Interop.Libc.Futex(
            SyscallNumber,
            (uint*)word,
            Interop.Libc.FUTEX_WAIT_BITSET | Interop.Libc.FUTEX_PRIVATE_FLAG,
            (uint)expected,
            &deadline,
            0,
            Interop.Libc.FUTEX_BITSET_MATCH_ANY);
        return result == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    public static void Wake(int* word, int waiters) =>
        Interop.Libc.Futex(SyscallNumber, (uint*)word, Interop.Libc.FUTEX_WAKE | Interop.Libc.FUTEX_PRIVATE_FLAG, (uint)waiters, null, 0, 0);
}
