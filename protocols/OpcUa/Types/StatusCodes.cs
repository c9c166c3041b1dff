using System.Collections.Frozen;

namespace EdgePartition.OpcUa.Types;

/// <summary>
/// OPC UA status codes (Part 4 §7.39, Part 6 Annex A). The named constants and the name table are generated into
/// StatusCodes.Table.g.cs by generate-status-codes.py from the OPC Foundation's StatusCode.csv; the top two bits
/// give the severity and the low 16 bits carry info flags that are not part of the name.
/// </summary>
public static partial class StatusCodes
{
    public static bool IsGood(uint code) => (code & 0xC0000000) == 0;

    public static bool IsBad(uint code) => (code & 0x80000000) != 0;

    public static bool IsUncertain(uint code) => (code & 0xC0000000) == 0x40000000;

    /// <summary>The symbolic name (e.g. "BadNodeIdUnknown") ignoring the info bits, or null for a code not in the table.</summary>
    public static string? Name(uint code) => NameIndex.ByCode.GetValueOrDefault(code & 0xFFFF0000);

    /// <summary>For logs and errors: "BadNodeIdUnknown (0x80340000)", or just the hex value when the code is unknown.</summary>
    public static string Describe(uint code) => code == Good
        ? "Good"
        : Name(code) is { } name ? $"{name} (0x{code:X8})" : $"0x{code:X8}";

    /// <summary>Built on first use: static fields in the two partial files have no defined initialization order.</summary>
    private static class NameIndex
    {
        public static readonly FrozenDictionary<uint, string> ByCode = Table.ToFrozenDictionary(e => e.Code, e => e.Name);
    }
}
