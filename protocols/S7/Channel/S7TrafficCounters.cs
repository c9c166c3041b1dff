namespace EdgePartition.S7.Channel;

/// <summary>Traffic counters a connection owner keeps across channels (updated with Interlocked).</summary>
internal sealed class S7TrafficCounters
{
    public long BytesSent;
    public long BytesReceived;
    public long RoundTrips;
    public long UnmatchedReplies;
}
