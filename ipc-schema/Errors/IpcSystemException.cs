using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace EdgePartition.Ipc;

/// <summary>A system call on a named IPC object failed; carries the errno and the object it concerned.</summary>
public sealed class IpcSystemException : IOException
{
    public IpcSystemException(string operation, string objectName, int errno)
        : base($"{operation} failed for '{objectName}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Operation = operation;
        ObjectName = objectName;
        Errno = errno;
    }

    /// <summary>The native call, e.g. "open", "mmap", "sem_open".</summary>
    public string Operation { get; }

    /// <summary>File path or semaphore name.</summary>
    public string ObjectName { get; }

    public int Errno { get; }

    /// <summary>Reads errno right after the failed call and throws; kept off the hot path.</summary>
    [DoesNotReturn]
    internal static void ThrowLast(string operation, string objectName) =>
        throw new IpcSystemException(operation, objectName, Marshal.GetLastPInvokeError());
}
