using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Layout;

/// <summary>
/// How one configured tag lives in its device segment: the slot index and the segment type the protocol value is
/// converted to. Resolved once at start-up so the poll cycle works with indices only.
/// </summary>
/// <param name="Index">Tag index in the segment layout (same order as <see cref="DeviceConfig.Tags"/>).</param>
/// <param name="Config">The tag as configured.</param>
/// <param name="SegmentType">The value type of the segment slot.</param>
/// <param name="ArrayLength">Elements in the slot (1 for a scalar and for a byte block, which is one Bytes value).</param>
/// <param name="MaxLength">Bytes of a String or Bytes element; 0 otherwise.</param>
/// <param name="IsScaled">True when raw·Scale + ScaleOffset is stored (as Float64) instead of the raw value.</param>
internal sealed record TagMapping(int Index, TagConfig Config, IpcDataType SegmentType, int ArrayLength, int MaxLength, bool IsScaled)
{
    /// <summary>True for a byte-array block (S7 BYTE[n], n &gt; 1) stored as one Bytes value of n bytes.</summary>
    public bool IsByteBlock => SegmentType == IpcDataType.Bytes;

    /// <summary>The descriptor for the segment's immutable tag table.</summary>
    public TagDescriptor ToDescriptor() =>
        new(Config.Name, SegmentType, ArrayLength, MaxLength, Truncate(Config.Address, SegmentLayout.MaxAddressBytes), Config.Writable);


    private static string Truncate(string text, int maxBytes) => text.Length <= maxBytes ? text : text[..maxBytes];
}
