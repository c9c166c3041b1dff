namespace EdgePartition.Ipc;

/// <summary>What <see cref="SegmentReader.TryReadTag"/> read besides the value bytes, all from one commit.</summary>
/// <param name="Quality">OPC UA style status code of the tag.</param>
/// <param name="SourceUnixNs">Source timestamp, ns since the Unix epoch.</param>
/// <param name="Version">
/// The (even) slot version the read was validated against: the low 32 bits of the commit sequence of the commit that
/// last wrote the tag. Compare it with <see cref="SegmentReader.TagVersion"/> to learn of the next change.
/// </param>
public readonly record struct TagSample(uint Quality, long SourceUnixNs, uint Version);
