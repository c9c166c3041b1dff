using EdgePartition.Config;
using EdgePartition.Config.Layout;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// The segment slot a configured tag gets, by the collector's own rule (<see cref="TagSlotShape"/>). The endpoints
/// work from the config alone so the address map exists before any segment does; a segment that disagrees is caught
/// at attach.
/// </summary>
internal static class SegmentTagTypes
{
    /// <summary>The slot shape, or null for a type the endpoints cannot expose.</summary>
    public static TagSlotShape? Of(Protocol protocol, TagConfig tag)
    {
        var shape = TagSlotShape.TryOf(protocol, tag);

        // OPC UA strings and byte strings vary in size from value to value; a register or DB image needs a fixed one.
        return protocol == Protocol.OpcUa && shape?.Type is IpcDataType.String or IpcDataType.Bytes ? null : shape;
    }
}
