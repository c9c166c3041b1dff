using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>How a wait on many futex words ended.</summary>
public enum FutexWaitOutcome
{
    /// <summary>A word changed (woken, or it already differed from the expected value).</summary>
    Changed,

    TimedOut,

    /// <summary>The kernel has no futex_waitv (before Linux 5.16, or another architecture).</summary>
    Unsupported,
}

/// <summary>
/// futex_waitv over up to <see cref="MaxWords"/> segments' futex words with an absolute CLOCK_MONOTONIC deadline;
/// EINTR resumes with the same deadline. The waiter array is pinned and reused, so a wait allocates nothing.
/// The words must stay mapped while they are in the set. Used from one thread.
/// </summary>
public sealed unsafe class FutexWaitSet
{
    /// <summary>The kernel's limit on one futex_waitv call.</summary>
    public const int MaxWords = Interop.Libc.FutexWaitvMax;

    private readonly Interop.Libc.FutexWaitv[] _waiters = GC.AllocateArray<Interop.Libc.FutexWaitv>(MaxWords, pinned: true);

    /// <summary>How many words the set holds.</summary>
    public int Count { get; private set; }

    public void Clear() => Count = 0;

    /// <summary>Adds a word (its expected value is set before each wait); false when the set is full.</summary>
    public bool TryAdd(SegmentFutexWord word)
    {
        if (Count == MaxWords)
        {
            return false;
        }

        _waiters[Count++] = new Interop.Libc.FutexWaitv
        {
            Address = (ulong)word.Word,
            Flags = Interop.Libc.FUTEX2_SIZE_U32,
        };
        return true;
    }

    /// <summary>The value word <paramref name="index"/> must still hold for the wait to sleep.</summary>
    public void SetExpected(int index, uint expected) => _waiters[index].Value = expected;

    /// <summary>Sleeps until a word differs from its expected value or CLOCK_MONOTONIC reaches the deadline.</summary>
    public FutexWaitOutcome WaitUntil(long deadlineMonotonicNs)
    {
        if (Interop.Libc.SyscallNumbers.FutexWaitv < 0)
        {
            return FutexWaitOutcome.Unsupported;
        }

        var deadline = Interop.Libc.Timespec.FromNanoseconds(deadlineMonotonicNs);
        fixed (Interop.Libc.FutexWaitv* waiters = _waiters)
        {
            while (true)
            {
                var result = Interop.Libc.FutexWaitvSyscall(Interop.Libc.SyscallNumbers.FutexWaitv, waiters, (uint)Count, 0, &deadline, Interop.Libc.CLOCK_MONOTONIC);
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
    }

    /// <summary>The single-word fallback: FUTEX_WAIT with a relative timeout. True when the word changed.</summary>
    public static bool WaitOne(SegmentFutexWord word, uint expected, long timeoutNs)
    {
        var address = word.Word;
        if (timeoutNs <= 0)
        {
            return Volatile.Read(ref *address) != expected;
        }

        var timeout = Interop.Libc.Timespec.FromNanoseconds(timeoutNs);
        var result = Interop.Libc.Futex(Interop.Libc.SyscallNumbers.Futex, address, Interop.Libc.FUTEX_WAIT, expected, &timeout, 0, 0);
        return result == 0 || Volatile.Read(ref *address) != expected;
    }
}
