using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EdgePartition.S7;

/// <summary>
/// An address in Siemens notation: <c>DB10.DBX0.3</c>, <c>DB10.DBB1</c>, <c>DB10.DBW2</c>, <c>DB10.DBD4</c>,
/// <c>MW20</c>, <c>M0.1</c>, <c>I0.1</c> / <c>E0.1</c>, <c>Q4.0</c> / <c>A4.0</c>, <c>IB3</c>, <c>QD8</c>, <c>C5</c> / <c>Z5</c>,
/// <c>T3</c>. <see cref="Offset"/> is a byte offset, or the element number for counters and timers.
/// </summary>
public readonly record struct S7Address(S7Area Area, int DbNumber, int Offset, int Bit, S7AddressWidth Width)
{
    /// <summary>The largest byte offset an S7ANY item can address (24-bit bit address / 8).</summary>
    public const int MaxOffset = 0x1FFFFF;

    /// <summary>Size in bytes of one access of this width (a bit occupies its byte).</summary>
    public int ByteLength => Width switch
    {
        S7AddressWidth.Word or S7AddressWidth.Element => 2,
        S7AddressWidth.DWord => 4,
        _ => 1,
    };

    public bool IsBit => Width == S7AddressWidth.Bit;

    /// <summary>A byte address in a data block.</summary>
    public static S7Address Db(int dbNumber, int offset, S7AddressWidth width = S7AddressWidth.Byte) =>
        new(S7Area.DB, dbNumber, offset, 0, width);

    /// <summary>A bit address in a data block.</summary>
    public static S7Address DbBit(int dbNumber, int offset, int bit) => new(S7Area.DB, dbNumber, offset, bit, S7AddressWidth.Bit);

    public static S7Address Parse(string text) =>
        TryParse(text, out var address) ? address
            : throw new S7ProtocolException(ProtocolErrorReason.InvalidRequest,
                $"'{text}' is not an S7 address: use Siemens notation such as DB10.DBX0.3, DB10.DBW2, MW20, I0.1, Q4.0, C5, T3.");

    public static bool TryParse([NotNullWhen(true)] string? text, out S7Address address) =>
        TryParse(text.AsSpan(), out address);

    public static bool TryParse(ReadOnlySpan<char> text, out S7Address address)
    {
        address = default;
        text = text.Trim();
        if (text.Length < 2)
        {
            return false;
        }

        int db = 0;
        S7Area area;
        if (StartsWith(text, "DB") && text.Length > 2 && char.IsAsciiDigit(text[2]))
        {
            int dot = text.IndexOf('.');
            if (dot < 0 || !TryNumber(text[2..dot], out db) || db < 1 || db > ushort.MaxValue)
            {
                return false;
            }

            text = text[(dot + 1)..];
            if (StartsWith(text, "DB"))
            {
                text = text[2..];
            }

            area = S7Area.DB;
        }
        else
        {
            switch (char.ToUpperInvariant(text[0]))
            {
                case 'I' or 'E': area = S7Area.I; break;
                case 'Q' or 'A': area = S7Area.Q; break;
                case 'M': area = S7Area.M; break;
                case 'C' or 'Z': area = S7Area.C; break;
                case 'T': area = S7Area.T; break;
                default: return false;
            }

            text = text[1..];
            if (area.IsElementAddressed())
            {
                if (!TryNumber(text, out int element) || element > ushort.MaxValue)
                {
                    return false;
                }

                address = new S7Address(area, 0, element, 0, S7AddressWidth.Element);
                return true;
            }
        }

        if (text.IsEmpty)
        {
            return false;
        }

        S7AddressWidth width;
        switch (char.ToUpperInvariant(text[0]))
        {
            case 'X': width = S7AddressWidth.Bit; text = text[1..]; break;
            case 'B': width = S7AddressWidth.Byte; text = text[1..]; break;
            case 'W': width = S7AddressWidth.Word; text = text[1..]; break;
            case 'D': width = S7AddressWidth.DWord; text = text[1..]; break;
            default:
                // M0.1, I0.1, Q4.0: a bare byte.bit is a bit address; in a DB the letter is mandatory.
                if (area == S7Area.DB)
                {
                    return false;
                }

                width = S7AddressWidth.Bit;
                break;
        }

        int bit = 0;
        int bitDot = text.IndexOf('.');
        if (width == S7AddressWidth.Bit)
        {
            if (bitDot < 0 || !TryNumber(text[(bitDot + 1)..], out bit) || bit > 7)
            {
                return false;
            }

            text = text[..bitDot];
        }
        else if (bitDot >= 0)
        {
            return false;
        }

        if (!TryNumber(text, out int offset) || offset > MaxOffset)
        {
            return false;
        }

        address = new S7Address(area, db, offset, bit, width);
        return true;
    }

    public override string ToString()
    {
        string prefix = Area switch
        {
            S7Area.DB => string.Create(CultureInfo.InvariantCulture, $"DB{DbNumber}.DB"),
            S7Area.I => "I",
            S7Area.Q => "Q",
            S7Area.M => "M",
            S7Area.C => "C",
            S7Area.T => "T",
            _ => "?",
        };
        return Width switch
        {
            S7AddressWidth.Element => string.Create(CultureInfo.InvariantCulture, $"{prefix}{Offset}"),
            S7AddressWidth.Bit => string.Create(CultureInfo.InvariantCulture, $"{prefix}{(Area == S7Area.DB ? "X" : "")}{Offset}.{Bit}"),
            S7AddressWidth.Byte => string.Create(CultureInfo.InvariantCulture, $"{prefix}B{Offset}"),
            S7AddressWidth.Word => string.Create(CultureInfo.InvariantCulture, $"{prefix}W{Offset}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{prefix}D{Offset}"),
        };
    }

    private static bool StartsWith(ReadOnlySpan<char> text, string prefix) =>
        text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool TryNumber(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 9)
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
