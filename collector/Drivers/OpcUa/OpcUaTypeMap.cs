using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Collector.Drivers;

/// <summary>OPC UA type names of the config (config/xsd/opcua.xsd) to built-in types and segment types.</summary>
internal static class OpcUaTypeMap
{
    /// <summary>Characters a String tag holds when the config gives no stringLength.</summary>
    public const int DefaultStringLength = 256;

    /// <summary>Bytes of a Guid in its text form.</summary>
    private const int GuidTextLength = 36;

    public static (IpcDataType Type, int MaxLength) ToSegment(TagConfig tag) => ToProtocol(tag) switch
    {
        BuiltInType.Boolean => (IpcDataType.Bool, 0),
        BuiltInType.SByte => (IpcDataType.Int8, 0),
        BuiltInType.Byte => (IpcDataType.UInt8, 0),
        BuiltInType.Int16 => (IpcDataType.Int16, 0),
        BuiltInType.UInt16 => (IpcDataType.UInt16, 0),
        BuiltInType.Int32 => (IpcDataType.Int32, 0),
        BuiltInType.UInt32 or BuiltInType.StatusCode => (IpcDataType.UInt32, 0),
        BuiltInType.Int64 => (IpcDataType.Int64, 0),
        BuiltInType.UInt64 => (IpcDataType.UInt64, 0),
        BuiltInType.Float => (IpcDataType.Float32, 0),
        BuiltInType.Double => (IpcDataType.Float64, 0),
        BuiltInType.DateTime => (IpcDataType.DateTime, 0),
        BuiltInType.Guid => (IpcDataType.String, GuidTextLength),

        // Text beyond the slot is cut at a character boundary by the segment writer.
        BuiltInType.String => (IpcDataType.String, tag.StringLength ?? DefaultStringLength),
        _ => (IpcDataType.Bytes, tag.StringLength ?? DefaultStringLength),
    };

    public static BuiltInType ToProtocol(TagConfig tag) => tag.DataType switch
    {
        "Boolean" => BuiltInType.Boolean,
        "SByte" => BuiltInType.SByte,
        "Byte" => BuiltInType.Byte,
        "Int16" => BuiltInType.Int16,
        "UInt16" => BuiltInType.UInt16,
        "Int32" => BuiltInType.Int32,
        "UInt32" => BuiltInType.UInt32,
        "Int64" => BuiltInType.Int64,
        "UInt64" => BuiltInType.UInt64,
        "Float" => BuiltInType.Float,
        "Double" => BuiltInType.Double,
        "String" => BuiltInType.String,
        "DateTime" => BuiltInType.DateTime,
        "Guid" => BuiltInType.Guid,
        "StatusCode" => BuiltInType.StatusCode,
        "ByteString" => BuiltInType.ByteString,
        _ => throw new NotSupportedException(
            $"tag '{tag.Name}': OPC UA type {tag.DataType} is not supported by the collector yet (structured and reference types have no segment slot)"),
    };
}
