using EdgePartition.Ipc;
using EdgePartition.Northbound.Sparkplug;

namespace EdgePartition.Northbound.Publishing;

/// <summary>One published tag of one device: where it sits in the segment and how Sparkplug names it.</summary>
/// <param name="Alias">Unique across the edge node: device index × 65536 + tag index + 1 (stable for a layout).</param>
/// <param name="Deadband">Absolute deadband of numeric scalars; 0: every change.</param>
/// <param name="WriteAllowed">Writable in the segment and allowed by &lt;allowWrite&gt;.</param>
internal sealed record MetricInfo(int TagIndex, TagDescriptor Tag, TagSlot Slot, string Name, SparkplugDataType DataType, ulong Alias, double Deadband, bool WriteAllowed);
