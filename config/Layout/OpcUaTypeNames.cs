using EdgePartition.OpcUa.Types;

namespace EdgePartition.Config.Layout;

/// <summary>OPC UA type names of the config (config/xsd/opcua.xsd) to the protocol's built-in types.</summary>
public static class OpcUaTypeNames
{
    /// <summary>The built-in type of <paramref name="tag"/>; throws for a type that has no segment slot.</summary>
    public static BuiltInType Parse(TagConfig tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return tag.DataType switch
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
}
