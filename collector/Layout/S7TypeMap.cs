using EdgePartition.S7;

namespace EdgePartition.Collector.Layout;

/// <summary>S7 type names of the config (TIA notation) to the protocol's types (the segment slot is config's TagSlotShape).</summary>
internal static class S7TypeMap
{
    /// <summary>The protocol type of a config type name (the loader has validated the name).</summary>
    public static S7DataType ToProtocol(string typeName) =>
        S7DataTypes.TryParse(typeName, out var type) ? type : throw new NotSupportedException($"S7 type {typeName} is not supported");
}
