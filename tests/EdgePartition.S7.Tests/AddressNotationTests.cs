using FsCheck;
using FsCheck.Fluent;

namespace EdgePartition.S7.Tests;

/// <summary>Siemens notation: where a bad address stops being one, and parse/format as properties.</summary>
public sealed class AddressNotationTests
{
    private static readonly S7Area[] Areas = [S7Area.DB, S7Area.I, S7Area.Q, S7Area.M, S7Area.C, S7Area.T];

    [Theory]
    [InlineData("", 0, "is not an S7 address")]
    [InlineData("Speed", 0, "is not an S7 address")]
    [InlineData("  X0.1", 2, "is not an S7 address")]
    [InlineData("DB0.DBW0", 2, "DB number must be 1..65535")]
    [InlineData("DB65536.DBW0", 2, "DB number must be 1..65535")]
    [InlineData("DB10.XYZ4", 4, "expected .DBX, .DBB, .DBW or .DBD after the DB number")]
    [InlineData("DB1.DBQ0", 6, "width letter must be X, B, W or D")]
    [InlineData("DB1.DB0", 6, "expected DBX, DBB, DBW or DBD")]
    [InlineData("MW", 2, "expected a byte number")]
    [InlineData("DB1.DBW9999999", 7, "expected a byte number")]
    [InlineData("DB1.DBX0", 8, "a bit address needs a bit number 0..7")]
    [InlineData("DB1.DBX0.8", 9, "a bit address needs a bit number 0..7")]
    [InlineData("DB1.DBW0x", 8, "unexpected 'x' at the end")]
    [InlineData(" MW2.1 ", 4, "unexpected '.1' at the end")]
    [InlineData("C70000", 1, "a counter or timer number must be 0..65535")]
    public void SaysWhereAndWhyTextIsNotAnAddress(string text, int position, string reason)
    {
        Assert.False(S7Address.TryParse(text, out _, out var error));

        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        var thrown = Assert.Throws<S7ProtocolException>(() => S7Address.Parse(text));
        Assert.Contains(reason, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAddressSurvivesFormattingAndParsingInAnySpelling()
    {
        var cases =
            from address in Addresses()
            from lower in Gen.Elements(false, true)
            from german in Gen.Elements(false, true)
            from padding in Gen.Elements("", " ", "\t ")
            select (address, text: padding + Spell(address, lower, german) + padding);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(cases.ToArbitrary(), c =>
            S7Address.TryParse(c.text, out var parsed, out _) && parsed == c.address && parsed.ToString() == c.address.ToString()));
    }

    [Fact]
    public void GarbageIsRejectedWithAReasonAndNeverThrowsAnythingElse()
    {
        var alphabet = "DBXWQIAEMCZTdbx0123456789.:- \t%é".ToCharArray();
        var texts = Gen.OneOf(
            Gen.Elements(alphabet).ArrayOf().Select(chars => new string(chars)),
            ArbMap.Default.ArbFor<string>().Generator.Select(text => text ?? ""));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(texts.ToArbitrary(), text =>
        {
            if (S7Address.TryParse(text, out var address, out var error))
            {
                return S7Address.Parse(address.ToString()) == address;
            }

            var thrown = Assert.Throws<S7ProtocolException>(() => S7Address.Parse(text));
            return error.Message.Length > 0 && error.Position >= 0 && error.Position <= text.Length && thrown.Message == error.Message;
        }));
    }

    private static Gen<S7Address> Addresses() =>
        from area in Gen.Elements(Areas)
        from db in Gen.Choose(1, ushort.MaxValue)
        from width in Gen.Elements(S7AddressWidth.Bit, S7AddressWidth.Byte, S7AddressWidth.Word, S7AddressWidth.DWord)
        from offset in Gen.OneOf(Gen.Choose(0, 9), Gen.Choose(0, ushort.MaxValue), Gen.Constant(S7Address.MaxOffset))
        from bit in Gen.Choose(0, 7)
        select area.IsElementAddressed()
            ? new S7Address(area, 0, Math.Min(offset, ushort.MaxValue), 0, S7AddressWidth.Element)
            : new S7Address(area, area == S7Area.DB ? db : 0, offset, width == S7AddressWidth.Bit ? bit : 0, width);

    /// <summary>The address as people write it: lower case, the German area letters (E, A, Z), MX0.1 for M0.1.</summary>
    private static string Spell(S7Address address, bool lower, bool german)
    {
        var text = address.ToString();
        if (german)
        {
            text = address.Area switch
            {
                S7Area.I => "E" + text[1..],
                S7Area.Q => "A" + text[1..],
                S7Area.C => "Z" + text[1..],
                _ => text,
            };
        }

        if (address.IsBit && address.Area != S7Area.DB && lower)
        {
            text = text[..1] + "X" + text[1..];
        }

        return lower ? text.ToLowerInvariant() : text;
    }
}
