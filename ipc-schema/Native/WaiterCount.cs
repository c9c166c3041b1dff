using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// The waiters file beside a segment, `edgepart.&lt;partition&gt;.&lt;name&gt;.waiters`: a small group-writable
/// file whose first u32 counts the readers sleeping (or about to sleep) on the segment's futex word. Readers map
/// the segment read-only, so they announce themselves here; the writer skips FUTEX_WAKE while the count is zero.
/// The file is never truncated or shrunk (a mapped file must not be) and outlives writer restarts.
/// </summary>
internal sealed unsafe class WaiterCount : IDisposable
{
    /// <summary>Size of the file: the count, then room for later fields (a whole cache line).</summary>
    public const int FileSize = 64;

    /// <summary>rw-rw----: group members (consumers, sync) must be able to register.</summary>
    public const uint FileMode0660 = 0x1B0;

    private readonly SharedMapping _mapping;

    private WaiterCount(SharedMapping mapping) => _mapping = mapping;

    /// <summary>The count word; valid until <see cref="Dispose"/>.</summary>
    public uint* Word => (uint*)_mapping.Pointer;

    public uint Read() => Volatile.Read(ref *Word);

    /// <summary>
    /// Announces a waiter. Interlocked is a full fence: the increment is visible before the caller re-reads the
    /// change sequence, which is half of the Dekker pairing with <see cref="SegmentWriter"/>'s commit.
    /// </summary>
    public void Enter() => Interlocked.Increment(ref *(int*)Word);

    public void Exit() => Interlocked.Decrement(ref *(int*)Word);

    /// <summary>The writer's side: creates the file (0660) or opens the existing one; grows it, never truncates.</summary>
    public static WaiterCount? TryCreate(string segmentPath, out int errno)
    {
        var path = SegmentNames.WaitersPath(segmentPath);
        if (!SafeFdHandle.TryOpen(path, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT, FileMode0660, out var fd, out errno))
        {
            return null;
        }

        using (fd)
        {
            // The umask may have removed the group write bit; readers in the service group need it.
            _ = Interop.Libc.Fchmod(fd.Fd, FileMode0660);
            // Reserved, not sparse: on a full directory a sparse page would be a SIGBUS at the first count.
            if (fd.Length(path) < FileSize && (errno = Reserve(fd)) != 0)
            {
                return null;
            }

            return MapOrNull(fd, path, ref errno);
        }
    }

    private static int Reserve(SafeFdHandle fd)
    {
        const int EOPNOTSUPP = 95;
        int error = Interop.Libc.PosixFallocate(fd.Fd, 0, FileSize);
        if (error == EOPNOTSUPP)
        {
            error = Interop.Libc.Ftruncate(fd.Fd, FileSize) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }

        return error;
    }

    /// <summary>A reader's side: opens the existing file read-write; null (errno kept) when it is missing or not writable.</summary>
    public static WaiterCount? TryOpen(string segmentPath, out int errno)
    {
        var path = SegmentNames.WaitersPath(segmentPath);
        if (!SafeFdHandle.TryOpen(path, Interop.Libc.O_RDWR, 0, out var fd, out errno))
        {
            return null;
        }

        using (fd)
        {
            if (fd.Length(path) < FileSize)
            {
                // A writer is still creating it, or it is not ours: do not map past its end (SIGBUS).
                errno = Interop.Libc.EINVAL;
                return null;
            }

            return MapOrNull(fd, path, ref errno);
        }
    }

    public void Dispose() => _mapping.Dispose();

    private static WaiterCount? MapOrNull(SafeFdHandle fd, string path, ref int errno)
    {
        try
        {
            return new WaiterCount(SharedMapping.Map(fd, FileSize, writable: true, path));
        }
        catch (IpcSystemException e)
        {
            errno = e.Errno;
            return null;
        }
    }
}
