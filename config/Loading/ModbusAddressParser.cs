namespace EdgePartition.Config.Loading;

/// <summary>
/// Parses Modbus addresses: Modicon style (5 digits 40001..49999 or 6 digits 400001..465536; first digit 0 coil,
/// 1 discrete input, 3 input register, 4 holding register; 1-based) or table:offset (coil, discrete, input, holding;
/// counted from the device's address base), and sizes the tag in bits or registers.
/// </summary>
internal static class ModbusAddressParser
{
    public const int TableSize = 65536;
    public const int DefaultStringLength = 16;

    public static bool TryParse(string text, int addressBase, string dataType, int arrayLength, int stringLength, out ModbusAddress address, out string error)
    {
        address = default;
        var s = text.Trim();
        ModbusTable table;
        int offset;
        var colon = s.IndexOf(':');
        if (colon >= 0)
        {
            if (!TryTable(s[..colon], out table))
            {
                error = $"'{text}': table must be coil, discrete, input or holding";
                return false;
            }

            if (!TryNumber(s[(colon + 1)..], out var written) || written - addressBase < 0 || written - addressBase >= TableSize)
            {
                error = $"'{text}': offset must be {addressBase}..{TableSize - 1 + addressBase} (the device counts from {addressBase})";
                return false;
            }

            offset = written - addressBase;
        }
        else if (s.Length is 5 or 6 && TryNumber(s, out _))
        {
            if (!TryModiconTable(s[0], out table))
            {
                error = $"'{text}': a Modicon address starts with 0 (coil), 1 (discrete input), 3 (input register) or 4 (holding register)";
                return false;
            }

            TryNumber(s[1..], out var number);
            var highest = s.Length == 5 ? 9999 : TableSize;
            if (number < 1 || number > highest)
            {
                error = $"'{text}': a {s.Length}-digit Modicon address counts 1..{highest} within its table";
                return false;
            }

            offset = number - 1;
        }
        else
        {
            error = $"'{text}' is not a Modbus address (expected e.g. 40001, 300010, holding:0 or coil:12)";
            return false;
        }

        var isBitTable = table is ModbusTable.Coil or ModbusTable.DiscreteInput;
        var isBitType = dataType == "bit";
        if (isBitType != isBitTable)
        {
            error = isBitType
                ? $"'{text}': type bit needs a coil or discrete input address"
                : $"'{text}': type {dataType} needs an input or holding register address";
            return false;
        }

        var count = isBitType ? arrayLength : RegistersPerElement(dataType, stringLength) * arrayLength;
        if ((long)offset + count > TableSize)
        {
            error = $"'{text}' with {count} {(isBitType ? "bits" : "registers")} ends past address {TableSize - 1}";
            return false;
        }

        address = new ModbusAddress(table, offset, count);
        error = "";
        return true;
    }

    /// <summary>Bytes a tag at <paramref name="address"/> occupies: two per register, one per started 8 bits.</summary>
    public static int ByteLength(ModbusAddress address) => address.IsBitTable ? (address.Count + 7) / 8 : address.Count * 2;

    public static int RegistersPerElement(string dataType, int stringLength) => dataType switch
    {
        "int16" or "uint16" => 1,
        "int32" or "uint32" or "float32" => 2,
        "int64" or "uint64" or "float64" => 4,
        "string" => (stringLength + 1) / 2,
        _ => 1,
    };

    private static bool TryTable(string name, out ModbusTable table)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "coil": table = ModbusTable.Coil; return true;
            case "discrete": table = ModbusTable.DiscreteInput; return true;
            case "input": table = ModbusTable.InputRegister; return true;
            case "holding": table = ModbusTable.HoldingRegister; return true;
            default: table = default; return false;
        }
    }

    private static bool TryModiconTable(char first, out ModbusTable table)
    {
        switch (first)
        {
            case '0': table = ModbusTable.Coil; return true;
            case '1': table = ModbusTable.DiscreteInput; return true;
            case '3': table = ModbusTable.InputRegister; return true;
            case '4': table = ModbusTable.HoldingRegister; return true;
            default: table = default; return false;
        }
    }

    private static bool TryNumber(string digits, out int value)
    {
        value = 0;
        if (digits.Length is 0 or > 6)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Writes a wire offset back in table:offset form for the given address base.</summary>
    public static string Format(ModbusAddress address, int addressBase) =>
        $"{TableName(address.Table)}:{address.Offset + addressBase}";

    public static string TableName(ModbusTable table) => table switch
    {
        ModbusTable.Coil => "coil",
        ModbusTable.DiscreteInput => "discrete",
        ModbusTable.InputRegister => "input",
        _ => "holding",
    };
}
