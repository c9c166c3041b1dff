using EdgePartition.S7;

namespace EdgePartition.Config.Loading;

/// <summary>
/// An S7 tag's address checked against its type: the protocol library parses the notation; this adds what only a
/// tag knows (a BOOL needs a bit address, a W or D address must match the type's size, the tag must end inside
/// the 64 KiB the S7-1200 data blocks and areas allow) and what the collector reads (no counters or timers).
/// </summary>
internal static class S7TagAddress
{
    /// <summary>Bytes addressable in one area; S7-1200 data blocks stop at 64 KiB.</summary>
    public const int AreaBytes = 65536;

    /// <summary>
    /// Parses <paramref name="text"/> for a tag of the given type; <paramref name="size"/> is the bytes the tag
    /// occupies from its first byte to its last (a BOOL counts the bytes its bits touch).
    /// </summary>
    public static bool TryParse(string text, string dataType, int arrayLength, int stringLength, out S7Address address, out int size, out string error)
    {
        size = 0;
        if (!S7Address.TryParse(text, out address, out var parseError))
        {
            error = parseError.Message;
            return false;
        }

        if (address.Area.IsElementAddressed())
        {
            error = $"'{text}' is not an S7 address the collector reads: counters and timers (C, Z, T) are not supported; copy the value to a DB or M word in the PLC program";
            return false;
        }

        var isBool = dataType == "BOOL";
        if (isBool != address.IsBit)
        {
            error = isBool
                ? $"'{text}': a BOOL needs a bit address such as DB10.DBX0.3 or M0.1"
                : $"'{text}' is a bit address, but the tag's type is {dataType}, not BOOL";
            return false;
        }

        var elementSize = S7DataTypes.TryParse(dataType, out var type) ? S7DataTypes.SizeOf(type, stringLength) : 0;
        var widthSize = address.Width is S7AddressWidth.Word or S7AddressWidth.DWord ? address.ByteLength : 0;
        if (widthSize != 0 && widthSize != elementSize)
        {
            error = $"'{text}' addresses {widthSize} bytes but {dataType} has {elementSize}; use the {WidthLetterFor(elementSize)} form";
            return false;
        }

        var bytes = isBool ? (address.Bit + arrayLength + 7) / 8 : elementSize * arrayLength;
        if ((long)address.Offset + bytes > AreaBytes)
        {
            error = $"'{text}' with {bytes} bytes ends past byte {AreaBytes - 1}, the end of the area";
            return false;
        }

        size = bytes;
        error = "";
        return true;
    }

    private static string WidthLetterFor(int elementSize) => elementSize switch
    {
        2 => "W",
        4 => "D",
        _ => "B",
    };
}
