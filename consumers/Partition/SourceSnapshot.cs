using System.Runtime.InteropServices;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Partition;

/// <summary>
/// One cycle-consistent read of a segment, immutable once published, so the HTTP API, the metrics and every
/// websocket client can use it without locks. <see cref="Data"/> is the committed data area (status block, write
/// results, tag slots) exactly as SCHEMA.md lays it out.
/// </summary>
public sealed class SourceSnapshot
{
    private SourceSnapshot(SegmentLayout? layout, byte[] data, WriterInfo writer, WriterLiveness liveness, string? problem, long readUnixNs)
    {
        Layout = layout;
        Data = data;
        Writer = writer;
        Liveness = liveness;
        Problem = problem;
        ReadUnixNs = readUnixNs;
    }

    /// <summary>The segment could not be opened (not there yet, or not a valid segment).</summary>
    public static SourceSnapshot Absent(string problem) => new(null, [], default, WriterLiveness.Gone, problem, UnixTime.NowNs());

    public static SourceSnapshot Read(SegmentLayout layout, byte[] data, WriterInfo writer, WriterLiveness liveness) =>
        new(layout, data, writer, liveness, null, UnixTime.NowNs());

    /// <summary>The same values with a new liveness verdict (the writer died or hung after its last commit).</summary>
    public SourceSnapshot WithLiveness(WriterLiveness liveness, WriterInfo writer) =>
        new(Layout, Data, writer, liveness, Problem, UnixTime.NowNs());

    public bool Present => Layout is not null;

    public SegmentLayout? Layout { get; }

    public byte[] Data { get; }

    public WriterInfo Writer { get; }

    public WriterLiveness Liveness { get; }

    /// <summary>Why the segment is absent; null when present.</summary>
    public string? Problem { get; }

    public long ReadUnixNs { get; }

    /// <summary>The status block committed with these values.</summary>
    public WriterStatus Status => Present ? MemoryMarshal.Read<WriterStatus>(Data) : default;
}
