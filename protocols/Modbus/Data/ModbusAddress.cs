using System.Globalization;

namespace EdgePartition.Modbus.Data;

/// <summary>Whether offsets written in a configuration count from 0 or from 1 (the documentation habit).</summary>
public enum ModbusAddressBase : byte
{
    /// <summary>40001 and hr:1 are wire address 0 (Modicon convention, PLC4X).</summary>
    OneBased,

    /// <summary>40000 and hr:0 are wire address 0 (devices whose manuals print wire addresses).</summary>
    ZeroBased,
}

/// <summary>
/// A table and a 0-based wire address. <see cref="Parse(string, ModbusAddressBase)"/> reads the notations seen in
/// device manuals and configurations:
/// <list type="bullet">
/// <item>5- and 6-digit reference numbers: <c>40001</c>, <c>400001</c>, <c>30001</c>, <c>10001</c>, <c>00001</c>;</item>
/// <item>the <c>4x0001</c> / <c>4x1</c> form;</item>
/// <item>table and offset: <c>hr:100</c>, <c>holding:100</c>, <c>holding-register:100</c>, <c>ir:</c>, <c>di:</c>,
/// <c>coil:</c> (also with a space or nothing between, e.g. <c>HR100</c>).</item>
/// </list>
/// The offset is then made 0-based according to the <see cref="ModbusAddressBase"/>.
/// </summary>
public readonly record struct ModbusAddress(ModbusTable Table, ushort Address)
{
    public static ModbusAddress Parse(string text, ModbusAddressBase addressBase = ModbusAddressBase.OneBased) =>
        TryParse(text, addressBase, out var address, out var error) ? address : throw new FormatException(error);

    /// <summary>A table and an offset as configured, made 0-based.</summary>
    public static ModbusAddress FromOffset(ModbusTable table, int offset, ModbusAddressBase addressBase = ModbusAddressBase.OneBased)
    {
        var wire = addressBase == ModbusAddressBase.OneBased ? offset - 1 : offset;
        if (wire is < 0 or >= ModbusLimits.TableSize)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset,
                $"offset {offset} is outside {(addressBase == ModbusAddressBase.OneBased ? "1..65536" : "0..65535")} ({addressBase})");
        }

        return new ModbusAddress(table, (ushort)wire);
    }

    public static bool TryParse(string? text, ModbusAddressBase addressBase, out ModbusAddress address, out string? error)
    {
        if (TryParse(text.AsSpan(), addressBase, out address, out ModbusAddressError failure))
        {
            error = null;
            return true;
        }

        error = failure.Message;
        return false;
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, ModbusAddressBase addressBase, out ModbusAddress address, out ModbusAddressError error)
    {
        address = default;
        var start = text.Length - text.TrimStart().Length;
        var span = text.Trim();
        if (span.IsEmpty)
        {
            error = new ModbusAddressError(start, $"'{text}' is not a Modbus address: empty Modbus address (expected e.g. 40001, hr:0 or coil:12)");
            return false;
        }

        ModbusTable table;
        int numberStart;
        var digits = 0;
        if (char.IsAsciiDigit(span[0]))
        {
            if (!TryTableDigit(span[0], out table))
            {
                error = new ModbusAddressError(start,
                    $"'{text}': reference type {span[0]} is not a Modbus table; a Modicon address starts with 0 (coil), 1 (discrete input), 3 (input register) or 4 (holding register)");
                return false;
            }

            if (span.Length >= 3 && (span[1] is 'x' or 'X'))
            {
                // 4x00001, 4x1
                numberStart = 2;
            }
            else if (span.Length is 5 or 6)
            {
                // 40001 (5 digits: up to 9999) or 400001 (6 digits: up to 65536).
                numberStart = 1;
                digits = span.Length;
            }
            else
            {
                error = new ModbusAddressError(start,
                    $"'{text}' is not a Modbus address: a bare number needs 5 or 6 digits (40001, 400001) or a table (hr:{span})");
                return false;
            }
        }
        else
        {
            var split = 0;
            while (split < span.Length && !char.IsAsciiDigit(span[split]))
            {
                split++;
            }

            var name = span[..split].TrimEnd(":. ").TrimEnd();
            var range = Range(addressBase);
            if (name.EndsWith('-') && split < span.Length)
            {
                error = new ModbusAddressError(start + split - 1, $"'{text}': a negative offset is not an address; offset must be {range}");
                return false;
            }

            if (!TryTableName(name, out table))
            {
                error = new ModbusAddressError(start,
                    $"'{text}': unknown table '{name}'; table must be coil, discrete, input or holding (or c, di, ir, hr)");
                return false;
            }

            numberStart = split;
        }

        var number = span[numberStart..];
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            error = new ModbusAddressError(start + numberStart, $"'{text}': '{number}' is not an address");
            return false;
        }

        var wire = addressBase == ModbusAddressBase.OneBased ? offset - 1 : offset;
        var highest = digits == 5 ? 9999 : ModbusLimits.TableSize - (addressBase == ModbusAddressBase.OneBased ? 0 : 1);
        if (wire is < 0 or >= ModbusLimits.TableSize || offset > highest)
        {
            var lowest = addressBase == ModbusAddressBase.OneBased ? 1 : 0;
            var why = digits != 0
                ? $"a {digits}-digit Modicon address counts {lowest}..{highest} within its table"
                : $"offset must be {Range(addressBase)}";
            error = new ModbusAddressError(start + numberStart,
                $"'{text}': offset {offset} is outside {Range(addressBase)} ({addressBase}); {why}");
            return false;
        }

        address = new ModbusAddress(table, (ushort)wire);
        error = default;
        return true;
    }

    /// <summary>The offsets a configuration may write with this base.</summary>
    private static string Range(ModbusAddressBase addressBase) =>
        addressBase == ModbusAddressBase.OneBased ? "1..65536" : "0..65535";

    /// <summary>The 6-digit, 1-based reference (e.g. 400001 for holding register 0).</summary>
    public override string ToString() => $"{(byte)Table}{Address + 1:00000}";

    private static bool TryTableDigit(char digit, out ModbusTable table)
    {
        table = digit switch
        {
            '0' => ModbusTable.Coils,
            '1' => ModbusTable.DiscreteInputs,
            '3' => ModbusTable.InputRegisters,
            '4' => ModbusTable.HoldingRegisters,
            _ => (ModbusTable)255,
        };
        return table != (ModbusTable)255;
    }

    private static bool TryTableName(ReadOnlySpan<char> name, out ModbusTable table)
    {
        Span<char> lower = stackalloc char[32];
        if (name.Length > lower.Length)
        {
            table = default;
            return false;
        }

        var length = name.ToLowerInvariant(lower);
        var key = lower[..length];
        if (key is "c" or "co" or "coil" or "coils")
        {
            table = ModbusTable.Coils;
        }
        else if (key is "di" or "discrete" or "discrete-input" or "discrete-inputs" or "discreteinput" or "discreteinputs" or "input-status")
        {
            table = ModbusTable.DiscreteInputs;
        }
        else if (key is "ir" or "input" or "input-register" or "input-registers" or "inputregister" or "inputregisters")
        {
            table = ModbusTable.InputRegisters;
        }
        else if (key is "hr" or "h" or "holding" or "holding-register" or "holding-registers" or "holdingregister" or "holdingregisters")
        {
            table = ModbusTable.HoldingRegisters;
        }
        else
        {
            table = default;
            return false;
        }

        return true;
    }
}
