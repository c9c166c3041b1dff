using System.Runtime.InteropServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>A sem_t* from sem_open, closed with sem_close.</summary>
internal sealed class SafeSemaphoreHandle : SafeHandle
{
    public SafeSemaphoreHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal void Attach(nint semaphore) => SetHandle(semaphore);

    protected override bool ReleaseHandle() => Interop.Libc.SemClose(handle) == 0;
}
