namespace EdgePartition.S7.Tests;

public sealed class AddressAndCodecTests
{
    [Theory]
    [InlineData("DB10.DBX0.3", S7Area.DB, 10, 0, 3, S7AddressWidth.Bit)]
    [InlineData("db10.dbb1", S7Area.DB, 10, 1, 0, S7AddressWidth.Byte)]
    [InlineData("DB10.DBW2", S7Area.DB, 10, 2, 0, S7AddressWidth.Word)]
    [InlineData("DB10.DBD4", S7Area.DB, 10, 4, 0, S7AddressWidth.DWord)]
    [InlineData("MW20", S7Area.M, 0, 20, 0, S7AddressWidth.Word)]
    [InlineData("M0.1", S7Area.M, 0, 0, 1, S7AddressWidth.Bit)]
    [InlineData("I0.1", S7Area.I, 0, 0, 1, S7AddressWidth.Bit)]
    [InlineData("E1.7", S7Area.I, 0, 1, 7, S7AddressWidth.Bit)]
    [InlineData("Q4.0", S7Area.Q, 0, 4, 0, S7AddressWidth.Bit)]
    [InlineData("A4.0", S7Area.Q, 0, 4, 0, S7AddressWidth.Bit)]
    [InlineData("QD8", S7Area.Q, 0, 8, 0, S7AddressWidth.DWord)]
    [InlineData("IB3", S7Area.I, 0, 3, 0, S7AddressWidth.Byte)]
    [InlineData("C5", S7Area.C, 0, 5, 0, S7AddressWidth.Element)]
    [InlineData("Z5", S7Area.C, 0, 5, 0, S7AddressWidth.Element)]
    [InlineData("T3", S7Area.T, 0, 3, 0, S7AddressWidth.Element)]
    public void ParsesSiemensNotation(string text, S7Area area, int db, int offset, int bit, S7AddressWidth width)
    {
        var address = S7Address.Parse(text);
        Assert.Equal(new S7Address(area, db, offset, bit, width), address);
        Assert.Equal(address, S7Address.Parse(address.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("DB")]
    [InlineData("DB0.DBW2")]
    [InlineData("DB10.DBX0.8")]
    [InlineData("DB10.DBX0")]
    [InlineData("DB10.DBW2.1")]
    [InlineData("DB10.2")]
    [InlineData("X0.1")]
    [InlineData("MW")]
    [InlineData("M1")]
    [InlineData("DB1.DBB99999999")]
    public void RejectsWhatIsNotAnAddress(string text)
    {
        Assert.False(S7Address.TryParse(text, out _));
        var error = Assert.Throws<S7ProtocolException>(() => S7Address.Parse(text));
        Assert.Equal(ProtocolErrorReason.InvalidRequest, error.Reason);
    }

    [Fact]
    public void SizesFollowThePlcLayout()
    {
        Assert.Equal(1, S7DataTypes.SizeOf(S7DataType.Bool));
        Assert.Equal(8, S7DataTypes.SizeOf(S7DataType.LTime));
        Assert.Equal(12, S7DataTypes.SizeOf(S7DataType.Dtl));
        Assert.Equal(256, S7DataTypes.SizeOf(S7DataType.String));
        Assert.Equal(12, S7DataTypes.SizeOf(S7DataType.String, 10));
        Assert.Equal(24, S7DataTypes.SizeOf(S7DataType.WString, 10));
        Assert.Equal(2, S7DataTypes.SizeOfArray(S7DataType.Bool, 9));
        Assert.Equal(40, S7DataTypes.SizeOfArray(S7DataType.Real, 10));
    }

    [Fact]
    public void S5TimePicksTheFinestBaseThatHoldsTheValue()
    {
        var bytes = new byte[2];
        S7ValueCodec.SetS5Time(bytes, TimeSpan.FromMilliseconds(9990));
        Assert.Equal("0999", Convert.ToHexString(bytes));
        S7ValueCodec.SetS5Time(bytes, TimeSpan.FromSeconds(9990));
        Assert.Equal("3999", Convert.ToHexString(bytes));
        Assert.Equal(TimeSpan.FromSeconds(9990), S7ValueCodec.GetS5Time(bytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => S7ValueCodec.SetS5Time(bytes, TimeSpan.FromSeconds(10000)));
    }

    [Fact]
    public void StringsAreClampedToTheirHeaders()
    {
        var bytes = new byte[] { 4, 200, (byte)'a', (byte)'b', (byte)'c' };
        Assert.Equal("abc", S7ValueCodec.GetString(bytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => S7ValueCodec.SetString(new byte[10], 3, "abcd"));
        var wide = new byte[4 + 4];
        S7ValueCodec.SetWString(wide, 2, "Ωx");
        Assert.Equal("Ωx", S7ValueCodec.GetWString(wide));
    }

    [Fact]
    public void BadDatesBecomeTypedErrors()
    {
        var error = Assert.Throws<S7ProtocolException>(() => S7ValueCodec.GetDateAndTime(new byte[] { 0x24, 0x13, 0x40, 0, 0, 0, 0, 0 }));
        Assert.Equal(ProtocolErrorReason.InvalidRequest, error.Reason);
        Assert.Throws<S7ProtocolException>(() => S7ValueCodec.GetDtl(new byte[12]));
    }

    [Fact]
    public void NumbersDecodeWithoutBoxing()
    {
        var bytes = new byte[] { 0xFF, 0xFE };
        Assert.True(S7ValueCodec.TryGetNumber(S7DataType.Int, bytes, 0, out double value));
        Assert.Equal(-2, value);
        Assert.True(S7ValueCodec.TryGetNumber(S7DataType.Bool, bytes, 0, out value));
        Assert.Equal(1, value);
        Assert.False(S7ValueCodec.TryGetNumber(S7DataType.String, bytes, 0, out _));
    }
}
