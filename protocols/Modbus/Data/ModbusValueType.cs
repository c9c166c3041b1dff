namespace EdgePartition.Modbus.Data;

/// <summary>The data types a tag can have in Modbus registers (or a bit table).</summary>
public enum ModbusValueType : byte
{
    /// <summary>A coil or discrete input, or one bit of a register (see the tag's bit index).</summary>
    Bit,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,

    /// <summary>Single-byte characters (ASCII/Latin-1), two per register, NUL-padded.</summary>
    String,
}
