namespace EdgePartition.Config.Loading;

/// <summary>
/// Parses S7 addresses in the usual notation far enough to check ranges and overlaps: DB10.DBX0.3, DB10.DBB2,
/// DB10.DBW4, DB10.DBD8, and M/I/Q areas (German E/A accepted) as M0.1, MX0.1, MB10, MW20, MD4, I0.0, IW2, QD4.
/// </summary>
internal static class S7AddressParser
{
    public const int MaxDbNumber = 65535;

    /// <summary>Bytes addressable in one area; S7-1200 data blocks stop at 64 KiB.</summary>
    public const int AreaBytes = 65536;

    /// <summary>Parses <paramref name="text"/> for a tag of the given type; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, string dataType, int arrayLength, int stringLength, out S7Address address, out string error)
    {
        address = default;
        var s = text.Trim().ToUpperInvariant();
        var area = S7Area.DataBlock;
        var dbNumber = 0;
        int position;
        if (s.StartsWith("DB", StringComparison.Ordinal))
        {
            position = 2;
            if (!TryReadNumber(s, ref position, out dbNumber) || dbNumber < 1 || dbNumber > MaxDbNumber)
            {
                error = $"'{text}': DB number must be 1..{MaxDbNumber}";
                return false;
            }

            if (!Skip(s, ref position, ".DB"))
            {
                error = $"'{text}': expected .DBX, .DBB, .DBW or .DBD after the DB number (e.g. DB10.DBW4)";
                return false;
            }
        }
        else if (s.Length > 0 && AreaOf(s[0]) is { } letterArea)
        {
            area = letterArea;
            position = 1;
        }
        else
        {
            error = $"'{text}' is not an S7 address (expected e.g. DB10.DBD4, DB10.DBX0.3, MW20, I0.0, QB1)";
            return false;
        }

        // Width letter; an area letter followed directly by a digit is a bit address (M0.1 = MX0.1).
        var width = S7AddressWidth.Bit;
        if (position < s.Length && !char.IsAsciiDigit(s[position]))
        {
            switch (s[position])
            {
                case 'X': width = S7AddressWidth.Bit; break;
                case 'B': width = S7AddressWidth.Byte; break;
                case 'W': width = S7AddressWidth.Word; break;
                case 'D': width = S7AddressWidth.DoubleWord; break;
                default:
                    error = $"'{text}': width letter must be X, B, W or D";
                    return false;
            }

            position++;
        }
        else if (area == S7Area.DataBlock)
        {
            error = $"'{text}': expected DBX, DBB, DBW or DBD";
            return false;
        }

        if (!TryReadNumber(s, ref position, out var byteOffset))
        {
            error = $"'{text}': expected a byte number";
            return false;
        }

        var bit = -1;
        if (width == S7AddressWidth.Bit)
        {
            if (!Skip(s, ref position, ".") || !TryReadNumber(s, ref position, out bit) || bit > 7)
            {
                error = $"'{text}': a bit address needs a bit number 0..7 (e.g. DB10.DBX0.3)";
                return false;
            }
        }

        if (position != s.Length)
        {
            error = $"'{text}': unexpected '{text.Trim()[position..]}' at the end";
            return false;
        }

        return TryCheckFit(text, dataType, arrayLength, stringLength, area, dbNumber, byteOffset, bit, width, out address, out error);
    }

    private static bool TryCheckFit(
        string text, string dataType, int arrayLength, int stringLength, S7Area area, int dbNumber, int byteOffset, int bit, S7AddressWidth width, out S7Address address, out string error)
    {
        address = default;
        var isBool = dataType == "BOOL";
        if (isBool != (width == S7AddressWidth.Bit))
        {
            error = isBool
                ? $"'{text}': a BOOL needs a bit address such as DB10.DBX0.3 or M0.1"
                : $"'{text}' is a bit address, but the tag's type is {dataType}, not BOOL";
            return false;
        }

        var elementSize = S7Types.ElementSize(dataType, stringLength);
        var widthSize = width switch { S7AddressWidth.Word => 2, S7AddressWidth.DoubleWord => 4, _ => 0 };
        if (widthSize != 0 && widthSize != elementSize)
        {
            error = $"'{text}' addresses {widthSize} bytes but {dataType} has {elementSize}; use the {WidthLetterFor(elementSize)} form";
            return false;
        }

        var size = isBool ? (bit + arrayLength + 7) / 8 : elementSize * arrayLength;
        if ((long)byteOffset + size > AreaBytes)
        {
            error = $"'{text}' with {size} bytes ends past byte {AreaBytes - 1}, the end of the area";
            return false;
        }

        address = new S7Address(area, dbNumber, byteOffset, bit, width, size);
        error = "";
        return true;
    }

    private static string WidthLetterFor(int elementSize) => elementSize switch
    {
        2 => "W",
        4 => "D",
        _ => "B",
    };

    private static S7Area? AreaOf(char letter) => letter switch
    {
        'M' => S7Area.Merker,
        'I' or 'E' => S7Area.Input,
        'Q' or 'A' => S7Area.Output,
        _ => null,
    };

    private static bool Skip(string s, ref int position, string expected)
    {
        if (string.CompareOrdinal(s, position, expected, 0, expected.Length) != 0)
        {
            return false;
        }

        position += expected.Length;
        return true;
    }

    /// <summary>Reads up to 6 decimal digits (larger numbers are out of every S7 range anyway).</summary>
    private static bool TryReadNumber(string s, ref int position, out int value)
    {
        value = 0;
        var start = position;
        while (position < s.Length && char.IsAsciiDigit(s[position]))
        {
            if (position - start == 6)
            {
                return false;
            }

            value = (value * 10) + (s[position] - '0');
            position++;
        }

        return position > start;
    }
}
