namespace EdgePartition.Config;

/// <summary>
/// Order of the bytes of a multi-byte value as they arrive, A being the most significant byte of the value.
/// Modbus devices disagree on it; S7 is always ABCD (big-endian).
/// </summary>
public enum ByteOrder
{
    /// <summary>Big-endian, the Modbus norm.</summary>
    ABCD,

    /// <summary>Words swapped, bytes in each word big-endian.</summary>
    CDAB,

    /// <summary>Bytes swapped inside each word, words in order.</summary>
    BADC,

    /// <summary>Little-endian.</summary>
    DCBA,
}
