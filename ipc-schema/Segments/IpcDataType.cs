namespace EdgePartition.Ipc;

/// <summary>Value types a tag slot can hold. The numbers are the on-disk codes (SCHEMA.md §Data types).</summary>
public enum IpcDataType : ushort
{
    Bool = 1,
    Int8 = 2,
    UInt8 = 3,
    Int16 = 4,
    UInt16 = 5,
    Int32 = 6,
    UInt32 = 7,
    Int64 = 8,
    UInt64 = 9,
    Float32 = 10,
    Float64 = 11,

    /// <summary>UTF-8 text of at most MaxLength bytes, stored as u32 length + bytes.</summary>
    String = 12,

    /// <summary>i64 nanoseconds since the Unix epoch, UTC.</summary>
    DateTime = 13,

    /// <summary>i64 nanoseconds.</summary>
    Duration = 14,

    /// <summary>At most MaxLength bytes, stored as u32 length + bytes.</summary>
    Bytes = 15,
}
