using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// A MAP_SHARED mapping of a whole file. Read-only mappings are PROT_READ only, so a reader that writes faults:
/// the OS, not politeness, protects the writer's data.
/// </summary>
internal sealed unsafe class SharedMapping : SafeHandle
{
    private SharedMapping(nuint length, bool writable)
        : base(0, ownsHandle: true)
    {
        Length = length;
        Writable = writable;
    }

    public nuint Length { get; }

    public bool Writable { get; }

    public byte* Pointer => (byte*)handle;

    public override bool IsInvalid => handle == 0 || handle == Interop.Libc.MapFailed;

    public static SharedMapping Map(SafeFdHandle fd, long length, bool writable, string path)
    {
        var protection = writable ? Interop.Libc.PROT_READ | Interop.Libc.PROT_WRITE : Interop.Libc.PROT_READ;
        var address = Interop.Libc.Mmap(0, (nuint)length, protection, Interop.Libc.MAP_SHARED, fd.Fd, 0);
        if (address == Interop.Libc.MapFailed)
        {
            IpcSystemException.ThrowLast("mmap", path);
        }

        var mapping = new SharedMapping((nuint)length, writable);
        mapping.SetHandle(address);
        return mapping;
    }

    public ReadOnlySpan<byte> Span => new(Pointer, checked((int)Length));

    protected override bool ReleaseHandle() => Interop.Libc.Munmap(handle, Length) == 0;
}
