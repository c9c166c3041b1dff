using System.Runtime.InteropServices;

namespace EdgePartition.Sync.Wake;

/// <summary>How a wait on many futex words ended.</summary>
internal enum FutexWaitOutcome
{
    /// <summary>A word changed (woken, or it already differed from the expected value).</summary>
    Changed,

    TimedOut,

    /// <summary>The kernel has no futex_waitv (before Linux 5.16, or another architecture).</summary>
    Unsupported,
}

/// <summary>
/// futex_waitv over up to 128 shared futex words with an absolute CLOCK_MONOTONIC deadline; EINTR resumes with the
/// same deadline. The caller owns the waiter array (pinned, reused), so a wait allocates nothing.
/// </summary>
internal static unsafe class FutexWaitMany
{
    public static FutexWaitOutcome WaitUntil(Interop.Libc.FutexWaitv* waiters, int count, long deadlineMonotonicNs)
    {
        if (Interop.Libc.SysFutexWaitv < 0)
        {
            return FutexWaitOutcome.Unsupported;
        }

        var deadline = Interop.Libc.Timespec.FromNanoseconds(deadlineMonotonicNs);
        while (true)
        {
            var result = Interop.Libc.FutexWaitvSyscall(Interop.Libc.SysFutexWaitv, waiters, (uint)count, 0, &deadline, Interop.Libc.CLOCK_MONOTONIC);
            if (result >= 0)
            {
                return FutexWaitOutcome.Changed;
            }

            switch (Marshal.GetLastPInvokeError())
            {
                case Interop.Libc.EAGAIN:
                    return FutexWaitOutcome.Changed;
                case Interop.Libc.ETIMEDOUT:
                    return FutexWaitOutcome.TimedOut;
                case Interop.Libc.EINTR:
                    continue;
                case Interop.Libc.ENOSYS:
                    return FutexWaitOutcome.Unsupported;
                default:
                    // EFAULT/EINVAL would be a bug here; report "changed" so the caller re-reads rather than spins.
                    return FutexWaitOutcome.Changed;
            }
        }
    }

    /// <summary>The single-word fallback: FUTEX_WAIT with a relative timeout. True when the word changed.</summary>
    public static bool WaitOne(uint* word, uint expected, long timeoutNs)
    {
        if (Interop.Libc.SysFutex < 0 || timeoutNs <= 0)
        {
            return Volatile.Read(ref *word) != expected;
        }

        var timeout = Interop.Libc.Timespec.FromNanoseconds(timeoutNs);
        var result = Interop.Libc.FutexSyscall(Interop.Libc.SysFutex, word, Interop.Libc.FUTEX_WAIT, expected, &timeout, 0, 0);
        return result == 0 || Volatile.Read(ref *word) != expected;
    }
}
