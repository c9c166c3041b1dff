namespace EdgePartition.S7;

/// <summary>The S7 elementary data types with their PLC (big-endian) memory layout; sizes in <see cref="S7DataTypes"/>.</summary>
public enum S7DataType : byte
{
    Bool,
    Byte,
    Word,
    DWord,
    LWord,
    SInt,
    USInt,
    Int,
    UInt,
    DInt,
    UDInt,
    LInt,
    ULInt,
    Real,
    LReal,
    Char,
    WChar,

    /// <summary>STRING[n]: max length byte, actual length byte, n single-byte characters.</summary>
    String,

    /// <summary>WSTRING[n]: max length word, actual length word, n UTF-16 big-endian characters.</summary>
    WString,

    /// <summary>TIME: DINT milliseconds.</summary>
    Time,

    /// <summary>LTIME: LINT nanoseconds.</summary>
    LTime,

    /// <summary>S5TIME: 2 bits time base and 3 BCD digits.</summary>
    S5Time,

    /// <summary>DATE: UINT days since 1990-01-01.</summary>
    Date,

    /// <summary>TIME_OF_DAY: UDINT milliseconds since midnight.</summary>
    TimeOfDay,

    /// <summary>DATE_AND_TIME: 8 BCD bytes (1990..2089).</summary>
    DateAndTime,

    /// <summary>DTL: 12 bytes, year word, month, day, weekday, hour, minute, second, nanoseconds dword.</summary>
    Dtl,
}

/// <summary>Sizes of the S7 data types in PLC memory.</summary>
public static class S7DataTypes
{
    /// <summary>The default (and largest) STRING length, as in TIA Portal.</summary>
    public const int DefaultStringLength = 254;

    /// <summary>
    /// Bytes one value takes. <paramref name="stringLength"/> is the declared n of STRING[n] / WSTRING[n].
    /// BOOL is reported as 1 byte (the byte holding the bit).
    /// </summary>
    public static int SizeOf(S7DataType type, int stringLength = DefaultStringLength) => type switch
    {
        S7DataType.Bool or S7DataType.Byte or S7DataType.SInt or S7DataType.USInt or S7DataType.Char => 1,
        S7DataType.Word or S7DataType.Int or S7DataType.UInt or S7DataType.WChar or S7DataType.S5Time or S7DataType.Date => 2,
        S7DataType.DWord or S7DataType.DInt or S7DataType.UDInt or S7DataType.Real or S7DataType.Time or S7DataType.TimeOfDay => 4,
        S7DataType.LWord or S7DataType.LInt or S7DataType.ULInt or S7DataType.LReal or S7DataType.LTime or S7DataType.DateAndTime => 8,
        S7DataType.Dtl => 12,
        S7DataType.String => 2 + CheckedStringLength(stringLength, 254),
        S7DataType.WString => 4 + (2 * CheckedStringLength(stringLength, 16382)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown S7 data type"),
    };

    /// <summary>
    /// Bytes an ARRAY[0..count-1] OF type takes. BOOL arrays pack 8 elements per byte; arrays of multi-byte types
    /// start on an even byte in optimized-off DBs, which is the caller's offset, so no padding is added here.
    /// </summary>
    public static int SizeOfArray(S7DataType type, int count, int stringLength = DefaultStringLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (type == S7DataType.Bool)
        {
            return (count + 7) / 8;
        }

        int element = SizeOf(type, stringLength);
        // STRING elements of arrays are word aligned in PLC memory.
        if (type == S7DataType.String && (element & 1) != 0)
        {
            element++;
        }

        return element * count;
    }

    /// <summary>The type of a TIA Portal type name (BOOL, INT, STRING, TIME_OF_DAY, DTL, ...), or false.</summary>
    public static bool TryParse(string name, out S7DataType type)
    {
        S7DataType? parsed = name switch
        {
            "BOOL" => S7DataType.Bool,
            "BYTE" => S7DataType.Byte,
            "WORD" => S7DataType.Word,
            "DWORD" => S7DataType.DWord,
            "LWORD" => S7DataType.LWord,
            "SINT" => S7DataType.SInt,
            "USINT" => S7DataType.USInt,
            "INT" => S7DataType.Int,
            "UINT" => S7DataType.UInt,
            "DINT" => S7DataType.DInt,
            "UDINT" => S7DataType.UDInt,
            "LINT" => S7DataType.LInt,
            "ULINT" => S7DataType.ULInt,
            "REAL" => S7DataType.Real,
            "LREAL" => S7DataType.LReal,
            "CHAR" => S7DataType.Char,
            "WCHAR" => S7DataType.WChar,
            "STRING" => S7DataType.String,
            "WSTRING" => S7DataType.WString,
            "TIME" => S7DataType.Time,
            "LTIME" => S7DataType.LTime,
            "S5TIME" => S7DataType.S5Time,
            "DATE" => S7DataType.Date,
            "TIME_OF_DAY" => S7DataType.TimeOfDay,
            "DATE_AND_TIME" => S7DataType.DateAndTime,
            "DTL" => S7DataType.Dtl,
            _ => null,
        };
        type = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    /// <summary>True for STRING and WSTRING, whose size depends on the declared length.</summary>
    public static bool IsString(this S7DataType type) => type is S7DataType.String or S7DataType.WString;

    private static int CheckedStringLength(int length, int max) =>
        length is >= 0 and <= 16382 && length <= max ? length
            : throw new ArgumentOutOfRangeException(nameof(length), length, $"string length must be 0..{max}");
}
