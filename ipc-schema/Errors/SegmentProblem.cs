namespace EdgePartition.Ipc;

/// <summary>Why a file could not be used as a segment or write queue.</summary>
public enum SegmentProblem
{
    /// <summary>Too small or otherwise not an EdgePartition file at all.</summary>
    NotASegment,

    /// <summary>The magic is zero: a writer created the file but died before publishing it.</summary>
    NotPublished,

    /// <summary>The magic is not the segment magic.</summary>
    WrongMagic,

    /// <summary>The layout major version is not one this reader understands.</summary>
    UnknownLayoutVersion,

    /// <summary>The file is shorter than its header says.</summary>
    Truncated,

    /// <summary>Header fields or the tag table contradict each other.</summary>
    Corrupt,

    /// <summary>A write-queue file was opened where a segment was expected (or the other way round).</summary>
    WrongKind,
}
