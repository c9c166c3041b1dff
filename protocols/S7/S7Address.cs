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
        TryParse(text, out var address, out var error) ? address
            : throw new S7ProtocolException(ProtocolErrorReason.InvalidRequest, error.Message);

    public static bool TryParse([NotNullWhen(true)] string? text, out S7Address address) =>
        TryParse(text.AsSpan(), out address, out _);

    public static bool TryParse(ReadOnlySpan<char> text, out S7Address address) =>
        TryParse(text, out address, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out S7Address address, out S7AddressError error)
    {
        var reader = new S7AddressReader(text);
        return reader.TryRead(out address, out error);
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
}
