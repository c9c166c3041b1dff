namespace EdgePartition.S7;

/// <summary>
/// Reads Siemens notation left to right, so that an error can say where the text stops being an address.
/// Allocates only to describe an error.
/// </summary>
internal ref struct S7AddressReader
{
    private const string Examples = "DB10.DBD4, DB10.DBX0.3, MW20, I0.0, QB1, C5, T3";
    private const string BitNumberNeeded = "a bit address needs a bit number 0..7 (e.g. DB10.DBX0.3)";

    private readonly ReadOnlySpan<char> _text;
    private readonly int _end;
    private int _position;

    public S7AddressReader(ReadOnlySpan<char> text)
    {
        _text = text;
        _end = text.TrimEnd().Length;
        _position = text.Length - text.TrimStart().Length;
    }

    public bool TryRead(out S7Address address, out S7AddressError error)
    {
        address = default;
        if (!TryReadArea(out var area, out var db, out error))
        {
            return false;
        }

        if (area.IsElementAddressed())
        {
            var numberStart = _position;
            if (!TryReadNumber(out var element) || element > ushort.MaxValue)
            {
                return Fail(numberStart, "a counter or timer number must be 0..65535 (e.g. C5, T3)", out error);
            }

            address = new S7Address(area, 0, element, 0, S7AddressWidth.Element);
            return AtEnd(out error);
        }

        if (!TryReadWidth(area, out var width, out error))
        {
            return false;
        }

        var offsetStart = _position;
        if (!TryReadNumber(out var offset) || offset > S7Address.MaxOffset)
        {
            return Fail(offsetStart, $"expected a byte number 0..{S7Address.MaxOffset}", out error);
        }

        var bit = 0;
        if (width == S7AddressWidth.Bit)
        {
            if (!Skip('.'))
            {
                return Fail(_position, BitNumberNeeded, out error);
            }

            var bitStart = _position;
            if (!TryReadNumber(out bit) || bit > 7)
            {
                return Fail(bitStart, BitNumberNeeded, out error);
            }
        }

        address = new S7Address(area, db, offset, bit, width);
        return AtEnd(out error);
    }

    private bool TryReadArea(out S7Area area, out int db, out S7AddressError error)
    {
        db = 0;
        area = default;
        if (Peek(0) == 'D' && Peek(1) == 'B' && char.IsAsciiDigit(Peek(2)))
        {
            _position += 2;
            var numberStart = _position;
            if (!TryReadNumber(out db) || db is < 1 or > ushort.MaxValue)
            {
                return Fail(numberStart, $"DB number must be 1..{ushort.MaxValue}", out error);
            }

            if (!(Peek(0) == '.' && Peek(1) == 'D' && Peek(2) == 'B'))
            {
                return Fail(_position, "expected .DBX, .DBB, .DBW or .DBD after the DB number (e.g. DB10.DBW4)", out error);
            }

            _position += 3;
            area = S7Area.DB;
            error = default;
            return true;
        }

        S7Area? letterArea = Peek(0) switch
        {
            'I' or 'E' => S7Area.I,
            'Q' or 'A' => S7Area.Q,
            'M' => S7Area.M,
            'C' or 'Z' => S7Area.C,
            'T' => S7Area.T,
            _ => null,
        };
        if (letterArea is not { } found)
        {
            error = new S7AddressError(_position, $"'{_text}' is not an S7 address (expected e.g. {Examples})");
            return false;
        }

        _position++;
        area = found;
        error = default;
        return true;
    }

    private bool TryReadWidth(S7Area area, out S7AddressWidth width, out S7AddressError error)
    {
        width = S7AddressWidth.Bit;
        S7AddressWidth? letter = Peek(0) switch
        {
            'X' => S7AddressWidth.Bit,
            'B' => S7AddressWidth.Byte,
            'W' => S7AddressWidth.Word,
            'D' => S7AddressWidth.DWord,
            _ => null,
        };
        if (letter is { } found)
        {
            _position++;
            width = found;
        }
        else if (_position < _end && !char.IsAsciiDigit(_text[_position]))
        {
            return Fail(_position, "width letter must be X, B, W or D", out error);
        }
        else if (area == S7Area.DB)
        {
            // In a DB the width letter is mandatory: DB10.DBX0.3, not DB10.DB0.3.
            return Fail(_position, "expected DBX, DBB, DBW or DBD", out error);
        }

        // Otherwise M0.1, I0.1, Q4.0: a bare byte.bit is a bit address.
        error = default;
        return true;
    }

    private readonly char Peek(int ahead) =>
        _position + ahead < _end ? char.ToUpperInvariant(_text[_position + ahead]) : '\0';

    private bool Skip(char expected)
    {
        if (Peek(0) != expected)
        {
            return false;
        }

        _position++;
        return true;
    }

    /// <summary>Reads up to 9 decimal digits (more are out of every S7 range and would overflow).</summary>
    private bool TryReadNumber(out int value)
    {
        value = 0;
        var start = _position;
        while (_position < _end && char.IsAsciiDigit(_text[_position]))
        {
            if (_position - start == 9)
            {
                return false;
            }

            value = (value * 10) + (_text[_position] - '0');
            _position++;
        }

        return _position > start;
    }

    private readonly bool AtEnd(out S7AddressError error)
    {
        if (_position != _end)
        {
            return Fail(_position, $"unexpected '{_text[_position.._end]}' at the end", out error);
        }

        error = default;
        return true;
    }

    private readonly bool Fail(int position, string reason, out S7AddressError error)
    {
        error = new S7AddressError(position, $"'{_text}': {reason}");
        return false;
    }
}
