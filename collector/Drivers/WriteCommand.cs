using EdgePartition.Collector.Layout;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// A write request the worker has validated against the tag's slot. <see cref="Value"/> is in the segment's
/// encoding: for a byte block the PLC bytes at <see cref="ByteOffset"/> of the block; for a String the UTF-8 text
/// (offset 0); otherwise whole elements (little-endian, Bool one byte) starting at element
/// <see cref="FirstElement"/>, scaled tags as engineering Float64.
/// </summary>
internal readonly record struct WriteCommand(TagMapping Tag, int ByteOffset, ReadOnlyMemory<byte> Value)
{
    /// <summary>The first element written (fixed-size types).</summary>
    public int FirstElement(int elementSize) => ByteOffset / elementSize;
}

/// <summary>The outcome of one write: Good, or a Bad StatusCode with a short reason for the results ring.</summary>
internal readonly record struct WriteOutcome(uint StatusCode, string Error)
{
    public static WriteOutcome Ok { get; } = new(Ipc.IpcQuality.Good, "");

    public bool IsGood => Ipc.IpcQuality.IsGood(StatusCode);

    public static WriteOutcome Failed(uint statusCode, string error) => new(statusCode, error);
}
