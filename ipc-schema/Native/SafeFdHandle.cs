using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>An owned file descriptor opened through open(2) (close-on-exec).</summary>
internal sealed class SafeFdHandle : SafeHandle
{
    private SafeFdHandle()
        : base(-1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    /// <summary>Opens or throws <see cref="IpcSystemException"/>; <see cref="FileNotFoundException"/> for ENOENT.</summary>
    public static SafeFdHandle Open(string path, int flags, uint mode = Interop.Libc.FileMode0640)
    {
        if (!TryOpen(path, flags, mode, out var handle, out var errno))
        {
            if (errno == Interop.Libc.ENOENT)
            {
                throw new FileNotFoundException($"{path}: no such file", path);
            }

            throw new IpcSystemException("open", path, errno);
        }

        return handle;
    }

    public static bool TryOpen(string path, int flags, uint mode, out SafeFdHandle handle, out int errno)
    {
        handle = new SafeFdHandle();
        int fd;
        do
        {
            fd = Interop.Libc.Open(path, flags | Interop.Libc.O_CLOEXEC, mode);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (fd < 0 && errno == Interop.Libc.EINTR);

        if (fd < 0)
        {
            handle.SetHandleAsInvalid();
            return false;
        }

        handle.SetHandle(fd);
        return true;
    }

    public long Length(string path)
    {
        var length = Interop.Libc.LSeek(Fd, 0, Interop.Libc.SEEK_END);
        if (length < 0)
        {
            IpcSystemException.ThrowLast("lseek", path);
        }

        return length;
    }

    protected override bool ReleaseHandle() => Interop.Libc.Close((int)handle) == 0;
}
