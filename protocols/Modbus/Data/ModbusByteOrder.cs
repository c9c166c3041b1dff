namespace EdgePartition.Modbus.Data;

/// <summary>
/// How a multi-register value's bytes are laid out, named by where the bytes of the big-endian value A B C D land in
/// the registers as they arrive (libmodbus's modbus_get_float_abcd/badc/cdab/dcba naming). For 64-bit values the
/// same rule extends to four registers; for 16-bit values only the byte swap (BADC, DCBA) matters; for strings the
/// byte swap decides which character of a register comes first.
/// </summary>
public enum ModbusByteOrder : byte
{
    /// <summary>Big-endian bytes, most significant register first (the Modbus default).</summary>
    ABCD,

    /// <summary>Big-endian bytes, least significant register first ("word swap"; common for floats).</summary>
    CDAB,

    /// <summary>Bytes swapped inside each register, most significant register first.</summary>
    BADC,

    /// <summary>Little-endian: bytes swapped and least significant register first.</summary>
    DCBA,
}
