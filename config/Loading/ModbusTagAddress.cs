using EdgePartition.Modbus;
using EdgePartition.Modbus.Data;

namespace EdgePartition.Config.Loading;

/// <summary>
/// A Modbus tag's address checked against its type: the protocol library parses the notation (Modicon references
/// such as 40001 always count from 1; table:offset counts from the device's address base); this adds that bits
/// live in coils and discrete inputs, registers in the other two tables, and that the tag ends inside its table.
/// </summary>
internal static class ModbusTagAddress
{
    public const int DefaultStringLength = 16;

    /// <summary>
    /// Parses <paramref name="text"/> for a tag of the given type; <paramref name="count"/> is the bits or
    /// registers the tag spans.
    /// </summary>
    public static bool TryParse(string text, int addressBase, string dataType, int arrayLength, int stringLength, out ModbusAddress address, out int count, out string error)
    {
        count = 0;
        var written = text.TrimStart();
        var notationBase = (written.Length > 0 && char.IsAsciiDigit(written[0])) || addressBase == 1 ? ModbusAddressBase.OneBased : ModbusAddressBase.ZeroBased;
        if (!ModbusAddress.TryParse(text.AsSpan(), notationBase, out address, out ModbusAddressError parseError))
        {
            error = parseError.Message;
            return false;
        }

        if (!ModbusValueTypes.TryParse(dataType, out var valueType))
        {
            error = $"'{text}': {dataType} is not a Modbus type";
            return false;
        }

        var isBitType = valueType == ModbusValueType.Bit;
        if (isBitType != address.Table.IsBits())
        {
            error = isBitType
                ? $"'{text}': type bit needs a coil or discrete input address"
                : $"'{text}': type {dataType} needs an input or holding register address";
            return false;
        }

        var span = isBitType ? arrayLength : ModbusValueTypes.RegisterCount(valueType, stringLength) * arrayLength;
        if (address.Address + span > ModbusLimits.TableSize)
        {
            error = $"'{text}' with {span} {(isBitType ? "bits" : "registers")} ends past address {ModbusLimits.TableSize - 1}";
            return false;
        }

        count = span;
        error = "";
        return true;
    }

    /// <summary>Bytes a tag spanning <paramref name="count"/> bits or registers occupies: two per register, one per started 8 bits.</summary>
    public static int ByteLength(ModbusTable table, int count) => table.IsBits() ? (count + 7) / 8 : count * 2;

    /// <summary>The table's name in configuration files (coil, discrete, input, holding).</summary>
    public static string TableName(ModbusTable table) => table switch
    {
        ModbusTable.Coils => "coil",
        ModbusTable.DiscreteInputs => "discrete",
        ModbusTable.InputRegisters => "input",
        _ => "holding",
    };
}
