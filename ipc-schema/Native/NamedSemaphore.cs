using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// A POSIX named semaphore (`sem_open`), usable from C and Python (posix_ipc) too. .NET's own named Semaphore
/// throws on Linux. POSIX semaphores do not recover when a holder dies: callers that use one as a mutex record
/// the holder and repair (see <see cref="WriteQueue"/>). Every wait has a timeout.
/// </summary>
public sealed class NamedSemaphore : IDisposable
{
    private readonly SafeSemaphoreHandle _handle;

    private NamedSemaphore(string name, SafeSemaphoreHandle handle)
    {
        Name = name;
        _handle = handle;
    }

    /// <summary>The POSIX name, e.g. "/edgepart.p1.plc1.writes" (glibc stores it as /dev/shm/sem.edgepart.p1.plc1.writes).</summary>
    public string Name { get; }

    /// <summary>Opens the semaphore, creating it with <paramref name="initialValue"/> if it does not exist.</summary>
    public static NamedSemaphore OpenOrCreate(string name, uint initialValue) =>
        OpenCore(name, Interop.Libc.O_CREAT, initialValue);

    /// <summary>Opens an existing semaphore; <see cref="FileNotFoundException"/> when there is none.</summary>
    public static NamedSemaphore OpenExisting(string name) => OpenCore(name, 0, 0);

    /// <summary>Removes the name; processes that have it open keep using it. False when it did not exist.</summary>
    public static bool Unlink(string name) => Interop.Libc.SemUnlink(name) == 0;

    /// <summary>Decrements, waiting at most <paramref name="timeout"/>. False on timeout (a normal result).</summary>
    public unsafe bool Wait(TimeSpan timeout)
    {
        var start = Stopwatch.GetTimestamp();
        var handle = _handle.DangerousGetHandle();
        while (true)
        {
            var remaining = timeout - Stopwatch.GetElapsedTime(start);
            if (remaining < TimeSpan.Zero)
            {
                remaining = TimeSpan.Zero;
            }

            // sem_timedwait takes an absolute CLOCK_REALTIME deadline; recomputing it from the monotonic
            // remainder after each EINTR keeps a wall-clock step from stretching the wait.
            var deadline = Interop.Libc.Timespec.FromNanoseconds(UnixTime.NowNs() + Nanoseconds.From(remaining));
            if (Interop.Libc.SemTimedWait(handle, &deadline) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Interop.Libc.ETIMEDOUT)
            {
                return false;
            }

            if (errno != Interop.Libc.EINTR)
            {
                throw new IpcSystemException("sem_timedwait", Name, errno);
            }
        }
    }

    public void Release()
    {
        if (Interop.Libc.SemPost(_handle.DangerousGetHandle()) != 0)
        {
            IpcSystemException.ThrowLast("sem_post", Name);
        }
    }

    /// <summary>The current count (diagnostics only: it may change right after).</summary>
    public unsafe int Value
    {
        get
        {
            int value;
            if (Interop.Libc.SemGetValue(_handle.DangerousGetHandle(), &value) != 0)
            {
                IpcSystemException.ThrowLast("sem_getvalue", Name);
            }

            return value;
        }
    }

    public void Dispose() => _handle.Dispose();

    private static NamedSemaphore OpenCore(string name, int flags, uint initialValue)
    {
        var handle = new SafeSemaphoreHandle();
        var semaphore = Interop.Libc.SemOpen(name, flags, Interop.Libc.FileMode0640, initialValue);
        if (semaphore == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno == Interop.Libc.ENOENT)
            {
                throw new FileNotFoundException($"semaphore {name} does not exist", name);
            }

            throw new IpcSystemException("sem_open", name, errno);
        }

        handle.Attach(semaphore);
        return new NamedSemaphore(name, handle);
    }
}
