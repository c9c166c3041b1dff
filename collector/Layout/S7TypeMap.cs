using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.S7;

namespace EdgePartition.Collector.Layout;

/// <summary>S7 type names of the config (TIA notation) to the protocol's types and to segment types.</summary>
internal static class S7TypeMap
{
    /// <summary>The segment type of an S7 tag; a BYTE array is a byte block (one Bytes value of the whole range).</summary>
    public static (IpcDataType Type, int MaxLength) ToSegment(TagConfig tag)
    {
        var type = ToProtocol(tag.DataType);
        if (type == S7DataType.Byte && tag.ArrayLength > 1)
        {
            return (IpcDataType.Bytes, tag.ArrayLength);
        }

        var stringLength = tag.StringLength ?? S7DataTypes.DefaultStringLength;
        return type switch
        {
            S7DataType.Bool => (IpcDataType.Bool, 0),
            S7DataType.Byte or S7DataType.USInt or S7DataType.Char => (IpcDataType.UInt8, 0),
            S7DataType.SInt => (IpcDataType.Int8, 0),
            S7DataType.Int => (IpcDataType.Int16, 0),
            S7DataType.Word or S7DataType.UInt or S7DataType.WChar => (IpcDataType.UInt16, 0),
            S7DataType.DInt => (IpcDataType.Int32, 0),
            S7DataType.DWord or S7DataType.UDInt => (IpcDataType.UInt32, 0),
            S7DataType.LInt => (IpcDataType.Int64, 0),
            S7DataType.LWord or S7DataType.ULInt => (IpcDataType.UInt64, 0),
            S7DataType.Real => (IpcDataType.Float32, 0),
            S7DataType.LReal => (IpcDataType.Float64, 0),
            S7DataType.Time or S7DataType.LTime or S7DataType.S5Time or S7DataType.TimeOfDay => (IpcDataType.Duration, 0),
            S7DataType.Date or S7DataType.DateAndTime or S7DataType.Dtl => (IpcDataType.DateTime, 0),

            // STRING characters are Latin-1 (up to 2 UTF-8 bytes each); WSTRING characters UTF-16 (up to 3).
            S7DataType.String => (IpcDataType.String, 2 * stringLength),
            S7DataType.WString => (IpcDataType.String, 3 * stringLength),
            _ => throw new NotSupportedException($"tag '{tag.Name}': S7 type {tag.DataType} is not supported"),
        };
    }

    /// <summary>The protocol type of a config type name (the loader has validated the name).</summary>
    public static S7DataType ToProtocol(string typeName) =>
        S7DataTypes.TryFromName(typeName, out var type) ? type : throw new NotSupportedException($"S7 type {typeName} is not supported");
}
