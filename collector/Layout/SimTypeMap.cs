using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Layout;

/// <summary>Sim type names of the config to segment types.</summary>
internal static class SimTypeMap
{
    public static (IpcDataType Type, int MaxLength) ToSegment(TagConfig tag) => tag.DataType switch
    {
        "bool" => (IpcDataType.Bool, 0),
        "int16" => (IpcDataType.Int16, 0),
        "int32" => (IpcDataType.Int32, 0),
        "int64" => (IpcDataType.Int64, 0),
        "float32" => (IpcDataType.Float32, 0),
        "float64" => (IpcDataType.Float64, 0),
        _ => throw new NotSupportedException($"tag '{tag.Name}': sim type {tag.DataType} is not supported"),
    };
}
