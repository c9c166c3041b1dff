using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// An exclusive flock(2) on a lock file beside a segment. The kernel drops it when the holder dies, so a lease
/// that can be taken proves the previous holder is gone.
/// </summary>
internal sealed class FileLease : IDisposable
{
    private readonly SafeFdHandle _fd;

    private FileLease(SafeFdHandle fd) => _fd = fd;

    /// <summary>
    /// Takes the lease, retrying briefly because a reader probing liveness holds it for a few microseconds.
    /// Returns null when another process keeps holding it.
    /// </summary>
    public static FileLease? TryAcquire(string lockPath, TimeSpan patience)
    {
        var fd = SafeFdHandle.Open(lockPath, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT);
        _ = Interop.Libc.Fchmod(fd.Fd, Interop.Libc.FileMode0640);
        var start = Stopwatch.GetTimestamp();
        var spinner = new SpinWait();
        while (true)
        {
            if (Interop.Libc.Flock(fd.Fd, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB) == 0)
            {
                return new FileLease(fd);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Interop.Libc.EAGAIN && errno != Interop.Libc.EINTR)
            {
                fd.Dispose();
                throw new IpcSystemException("flock", lockPath, errno);
            }

            if (Stopwatch.GetElapsedTime(start) > patience)
            {
                fd.Dispose();
                return null;
            }

            // Bounded back-off: the only other holders are probes, which release within microseconds.
            spinner.SpinOnce(sleep1Threshold: 20);
        }
    }

    /// <summary>
    /// Whether some process holds the lease at <paramref name="lockPath"/>: a shared non-blocking lock fails only
    /// while an exclusive one is held. A missing file means no writer ever ran (or it cleaned up).
    /// </summary>
    public static LeaseState Probe(string lockPath)
    {
        if (!SafeFdHandle.TryOpen(lockPath, Interop.Libc.O_RDONLY, 0, out var fd, out var openErrno))
        {
            return openErrno == Interop.Libc.ENOENT ? LeaseState.Free : LeaseState.Unknown;
        }

        using (fd)
        {
            if (Interop.Libc.Flock(fd.Fd, Interop.Libc.LOCK_SH | Interop.Libc.LOCK_NB) == 0)
            {
                _ = Interop.Libc.Flock(fd.Fd, Interop.Libc.LOCK_UN);
                return LeaseState.Free;
            }

            return Marshal.GetLastPInvokeError() == Interop.Libc.EAGAIN ? LeaseState.Held : LeaseState.Unknown;
        }
    }

    public void Dispose() => _fd.Dispose();
}

internal enum LeaseState
{
    Free,
    Held,
    Unknown,
}
