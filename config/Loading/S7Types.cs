namespace EdgePartition.Config.Loading;

/// <summary>Sizes of the S7 data types in non-optimized blocks (what the PLC puts on the wire), big-endian.</summary>
internal static class S7Types
{
    public const int DefaultStringLength = 254;

    /// <summary>Bytes of one element of <paramref name="type"/>, or 0 for an unknown type. BOOL counts one byte.</summary>
    public static int ElementSize(string type, int stringLength) => type switch
    {
        "BOOL" or "BYTE" or "SINT" or "USINT" or "CHAR" => 1,
        "WORD" or "INT" or "UINT" or "WCHAR" or "S5TIME" or "DATE" => 2,
        "DWORD" or "DINT" or "UDINT" or "REAL" or "TIME" or "TIME_OF_DAY" => 4,
        "LWORD" or "LINT" or "ULINT" or "LREAL" or "LTIME" or "DATE_AND_TIME" => 8,
        "DTL" => 12,

        // STRING: max length byte, actual length byte, characters; WSTRING: two 16-bit lengths, 16-bit characters.
        "STRING" => 2 + stringLength,
        "WSTRING" => 4 + (2 * stringLength),
        _ => 0,
    };

    public static bool IsString(string type) => type is "STRING" or "WSTRING";
}
