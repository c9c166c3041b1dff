using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// A read-only map of a segment's first page, held only to reach the header's futex word. A futex on a shared file
/// mapping is keyed by file and offset, so this map sees the same wake-ups as the reader's own map.
/// </summary>
public sealed unsafe class SegmentFutexWord : IDisposable
{
    private const int MapLength = SegmentFormat.PageSize;
    private nint _address;
    private WaiterCount? _waiters;

    private SegmentFutexWord(nint address, WaiterCount? waiters)
    {
        _address = address;
        _waiters = waiters;
    }

    /// <summary>The word's address; valid until <see cref="Dispose"/>.</summary>
    internal uint* Word => (uint*)(_address + SegmentFormat.FutexWordOffset);

    public uint Read() => Volatile.Read(ref *Word);

    /// <summary>True when the segment's waiters file could be mapped, so <see cref="EnterWait"/> makes commits wake.</summary>
    public bool IsCounted => _waiters is not null;

    /// <summary>
    /// Counts the caller as a waiter (a full fence) before it FUTEX_WAITs on <see cref="Word"/>; pair every call with
    /// <see cref="ExitWait"/>. Without a waiters file this does nothing and the writer's periodic wake is the bound.
    /// </summary>
    public void EnterWait() => _waiters?.Enter();

    public void ExitWait() => _waiters?.Exit();

    /// <summary>Maps the first page of <paramref name="path"/>; null (errno kept for the log) when it cannot.</summary>
    public static SegmentFutexWord? TryMap(string path, out int errno)
    {
        var fd = Interop.Libc.Open(path, Interop.Libc.O_RDONLY | Interop.Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        try
        {
            var address = Interop.Libc.Mmap(0, MapLength, Interop.Libc.PROT_READ, Interop.Libc.MAP_SHARED, fd, 0);
            if (address == Interop.Libc.MapFailed)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }

            errno = 0;
            return new SegmentFutexWord(address, WaiterCount.TryOpen(path, out _));
        }
        finally
        {
            _ = Interop.Libc.Close(fd);
        }
    }

    public void Dispose()
    {
        var address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            _ = Interop.Libc.Munmap(address, MapLength);
        }

        Interlocked.Exchange(ref _waiters, null)?.Dispose();
    }
}
