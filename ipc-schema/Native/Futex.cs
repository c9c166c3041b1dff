using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>FUTEX_WAIT / FUTEX_WAKE on a 32-bit word in a shared file mapping (waiting works on a read-only map).</summary>
internal static unsafe class Futex
{
    /// <summary>
    /// Sleeps while <paramref name="word"/> still holds <paramref name="expected"/>, at most <paramref name="timeout"/>.
    /// Returns false on timeout; true when woken or when the word already differed. EINTR resumes with the remaining time.
    /// </summary>
    public static bool Wait(uint* word, uint expected, TimeSpan timeout)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var remaining = timeout - Stopwatch.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return Volatile.Read(ref *word) != expected;
            }

            var spec = Interop.Libc.Timespec.FromNanoseconds(Nanoseconds.From(remaining));
            var result = Interop.Libc.Futex(Interop.Libc.SyscallNumbers.Futex, word, Interop.Libc.FUTEX_WAIT, expected, &spec, 0, 0);
            if (result == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case Interop.Libc.EAGAIN:
                    return true;
                case Interop.Libc.ETIMEDOUT:
                    return Volatile.Read(ref *word) != expected;
                case Interop.Libc.EINTR:
                    continue;
                default:
                    throw new IpcSystemException("futex(FUTEX_WAIT)", "segment futex word", errno);
            }
        }
    }

    /// <summary>Wakes every waiter; returns how many were woken.</summary>
    public static int WakeAll(uint* word)
    {
        var woken = Interop.Libc.Futex(Interop.Libc.SyscallNumbers.Futex, word, Interop.Libc.FUTEX_WAKE, int.MaxValue, null, 0, 0);
        return woken < 0 ? 0 : (int)woken;
    }
}
