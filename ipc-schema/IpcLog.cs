using Microsoft.Extensions.Logging;

namespace EdgePartition.Ipc;

/// <summary>Log events of the IPC layer, with fixed event ids (1000-1099).</summary>
internal static partial class IpcLog
{
    [LoggerMessage(1001, LogLevel.Information, "Segment {Path} created ({TagCount} tags, {Size} bytes, epoch {Epoch:x16})")]
    public static partial void SegmentCreated(ILogger logger, string path, int tagCount, long size, ulong epoch);

    [LoggerMessage(1002, LogLevel.Information, "Segment {Path} re-attached with the same layout (epoch {Epoch:x16}, previous writer pid {PreviousPid})")]
    public static partial void SegmentReattached(ILogger logger, string path, ulong epoch, int previousPid);

    [LoggerMessage(1003, LogLevel.Warning, "Segment {Path}: previous writer pid {PreviousPid} died in the middle of a commit; sequence {Sequence} repaired, all tags marked Bad until the next commit")]
    public static partial void SegmentRepaired(ILogger logger, string path, int previousPid, ulong sequence);

    [LoggerMessage(1004, LogLevel.Information, "Segment {Path}: layout changed, new file renamed over the old one, old one marked superseded")]
    public static partial void SegmentReplaced(ILogger logger, string path);

    [LoggerMessage(1005, LogLevel.Information, "Segment {Path} stopped")]
    public static partial void SegmentStopped(ILogger logger, string path);

    [LoggerMessage(1006, LogLevel.Warning, "Waiters file {Path} cannot be created or mapped (errno {Errno}); every commit will issue FUTEX_WAKE")]
    public static partial void WaitersFileUnavailable(ILogger logger, string path, int errno);

    [LoggerMessage(1010, LogLevel.Warning, "Semaphore {Name}: holder pid {Pid} is dead; semaphore repaired")]
    public static partial void SemaphoreRepaired(ILogger logger, string name, int pid);

    [LoggerMessage(1011, LogLevel.Warning, "Write queue {Path} is full ({Capacity} requests); request for tag {TagIndex} from {Origin} refused")]
    public static partial void QueueFull(ILogger logger, string path, int capacity, int tagIndex, string origin);

    [LoggerMessage(1012, LogLevel.Information, "Write queue {Path} created ({Capacity} records of {ValueCapacity} value bytes)")]
    public static partial void QueueCreated(ILogger logger, string path, int capacity, int valueCapacity);

    [LoggerMessage(1013, LogLevel.Warning, "Write queue {Path} was locked by pid {Pid}, which is gone; lock taken over")]
    public static partial void QueueLockTakenOver(ILogger logger, string path, int pid);
}
