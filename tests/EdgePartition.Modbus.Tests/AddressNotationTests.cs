using EdgePartition.Modbus.Data;
using FsCheck;
using FsCheck.Fluent;

namespace EdgePartition.Modbus.Tests;

/// <summary>Modbus address notations: where a bad address stops being one, and parse/format as properties.</summary>
public sealed class AddressNotationTests
{
    private static readonly ModbusTable[] Tables = [ModbusTable.Coils, ModbusTable.DiscreteInputs, ModbusTable.InputRegisters, ModbusTable.HoldingRegisters];

    [Theory]
    [InlineData("", ModbusAddressBase.OneBased, 0, "empty Modbus address")]
    [InlineData("  20001", ModbusAddressBase.OneBased, 2, "a Modicon address starts with 0 (coil), 1 (discrete input), 3 (input register) or 4")]
    [InlineData("4001", ModbusAddressBase.OneBased, 0, "is not a Modbus address")]
    [InlineData("flags:3", ModbusAddressBase.ZeroBased, 0, "table must be coil, discrete, input or holding")]
    [InlineData("hr:-1", ModbusAddressBase.ZeroBased, 3, "a negative offset is not an address")]
    [InlineData("hr:1a", ModbusAddressBase.ZeroBased, 3, "'1a' is not an address")]
    [InlineData("40000", ModbusAddressBase.OneBased, 1, "a 5-digit Modicon address counts 1..9999")]
    [InlineData("400000", ModbusAddressBase.OneBased, 1, "a 6-digit Modicon address counts 1..65536")]
    [InlineData("holding:0", ModbusAddressBase.OneBased, 8, "offset must be 1..65536")]
    [InlineData(" hr:65536", ModbusAddressBase.ZeroBased, 4, "outside 0..65535")]
    public void SaysWhereAndWhyTextIsNotAnAddress(string text, ModbusAddressBase addressBase, int position, string reason)
    {
        Assert.False(ModbusAddress.TryParse(text.AsSpan(), addressBase, out _, out ModbusAddressError error));

        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, Assert.Throws<FormatException>(() => ModbusAddress.Parse(text, addressBase)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAddressSurvivesFormattingAndParsingInEveryNotation()
    {
        var cases =
            from table in Gen.Elements(Tables)
            from wire in Gen.OneOf(Gen.Choose(0, 9), Gen.Choose(0, ushort.MaxValue), Gen.Constant((int)ushort.MaxValue))
            from addressBase in Gen.Elements(ModbusAddressBase.OneBased, ModbusAddressBase.ZeroBased)
            from notation in Gen.Choose(0, 3)
            let address = new ModbusAddress(table, (ushort)wire)
            select (address, addressBase, text: Spell(address, addressBase, notation));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(cases.ToArbitrary(), c =>
            ModbusAddress.TryParse(c.text.AsSpan(), c.addressBase, out var parsed, out ModbusAddressError _)
            && parsed == c.address
            && ModbusAddress.Parse(parsed.ToString()) == c.address));
    }

    [Fact]
    public void GarbageIsRejectedWithAReasonAndNeverThrowsAnythingElse()
    {
        var alphabet = "0134xXhrcoildistng:.- \t%é".ToCharArray();
        var texts = Gen.OneOf(
            Gen.Elements(alphabet).ArrayOf().Select(chars => new string(chars)),
            ArbMap.Default.ArbFor<string>().Generator.Select(text => text ?? ""));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(texts.ToArbitrary(), text =>
        {
            if (ModbusAddress.TryParse(text.AsSpan(), ModbusAddressBase.OneBased, out var address, out ModbusAddressError error))
            {
                return ModbusAddress.Parse(address.ToString()) == address;
            }

            var thrown = Assert.Throws<FormatException>(() => ModbusAddress.Parse(text));
            return error.Message.Length > 0 && error.Position >= 0 && error.Position <= text.Length && thrown.Message == error.Message;
        }));
    }

    /// <summary>One of the notations: the 6-digit reference, 4x form, table:offset with a long or short table name.</summary>
    private static string Spell(ModbusAddress address, ModbusAddressBase addressBase, int notation)
    {
        var written = address.Address + (addressBase == ModbusAddressBase.OneBased ? 1 : 0);
        var (longName, shortName) = address.Table switch
        {
            ModbusTable.Coils => ("coil", "c"),
            ModbusTable.DiscreteInputs => ("discrete", "di"),
            ModbusTable.InputRegisters => ("input", "ir"),
            _ => ("holding", "hr"),
        };
        return notation switch
        {
            0 when addressBase == ModbusAddressBase.OneBased => address.ToString(),
            1 => $"{(byte)address.Table}x{written}",
            2 => $"{longName}:{written}",
            _ => $" {shortName.ToUpperInvariant()}{written} ",
        };
    }
}
