namespace EdgePartition.Ipc;

/// <summary>The header's state word (offset 76).</summary>
public enum SegmentState : uint
{
    /// <summary>Being created; never seen by readers because the magic is written after it.</summary>
    Initializing = 0,

    /// <summary>A writer owns it and commits.</summary>
    Live = 1,

    /// <summary>The writer stopped cleanly; the values are the last it committed.</summary>
    Stopped = 2,

    /// <summary>A new layout was renamed over this file: re-open the path.</summary>
    Superseded = 3,
}
