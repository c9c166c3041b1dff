namespace EdgePartition.Ipc;

/// <summary>Another live process holds the single-writer lease of a segment.</summary>
public sealed class SegmentLeaseException : IOException
{
    public SegmentLeaseException(string segmentPath, int holderPid)
        : base(holderPid > 0
            ? $"{segmentPath}: another writer (pid {holderPid}) holds the lease; only one writer per segment"
            : $"{segmentPath}: another writer holds the lease; only one writer per segment")
    {
        SegmentPath = segmentPath;
        HolderPid = holderPid;
    }

    public string SegmentPath { get; }

    /// <summary>The pid recorded in the segment header, 0 when unknown.</summary>
    public int HolderPid { get; }
}
