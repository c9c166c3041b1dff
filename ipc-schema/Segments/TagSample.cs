namespace EdgePartition.Ipc;

/// <summary>What <see cref="SegmentReader.TryReadTag"/> read besides the value bytes, all from one commit.</summary>
/// <param name="Quality">OPC UA style status code of the tag.</param>
/// <param name="SourceUnixNs">Source timestamp, ns since the Unix epoch.</param>
/// <param name="CommitSequence">The (even) seqlock sequence the read was validated against.</param>
/// <param name="ChangeSequence">The change sequence seen before the read (pass it to <see cref="SegmentReader.WaitForChange"/>).</param>
public readonly record struct TagSample(uint Quality, long SourceUnixNs, ulong CommitSequence, ulong ChangeSequence);
