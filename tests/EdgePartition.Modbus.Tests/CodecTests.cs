using EdgePartition.Modbus.Data;

namespace EdgePartition.Modbus.Tests;

public sealed class CodecTests
{
    [Theory]
    [InlineData(ModbusByteOrder.ABCD, new ushort[] { 0x47F1, 0x2000 })]
    [InlineData(ModbusByteOrder.CDAB, new ushort[] { 0x2000, 0x47F1 })]
    [InlineData(ModbusByteOrder.BADC, new ushort[] { 0xF147, 0x0020 })]
    [InlineData(ModbusByteOrder.DCBA, new ushort[] { 0x0020, 0xF147 })]
    public void ReadsFloat32InTheNamedOrder(ModbusByteOrder order, ushort[] registers)
    {
        // libmodbus's documented example: 0x47F1 0x2000 in ABCD is 123456.0.
        Assert.Equal(123456.0f, ModbusRegisterCodec.ReadFloat32(registers, order));
        var written = new ushort[2];
        ModbusRegisterCodec.WriteFloat32(123456.0f, written, order);
        Assert.Equal(registers, written);
    }

    [Fact]
    public void SixtyFourBitOrdersExtendTheSameRule()
    {
        const ulong value = 0x0102030405060708;
        var registers = new ushort[4];
        ModbusRegisterCodec.WriteUInt64(value, registers, ModbusByteOrder.ABCD);
        Assert.Equal([0x0102, 0x0304, 0x0506, 0x0708], registers);
        ModbusRegisterCodec.WriteUInt64(value, registers, ModbusByteOrder.CDAB);
        Assert.Equal([0x0708, 0x0506, 0x0304, 0x0102], registers);
        ModbusRegisterCodec.WriteUInt64(value, registers, ModbusByteOrder.BADC);
        Assert.Equal([0x0201, 0x0403, 0x0605, 0x0807], registers);
        ModbusRegisterCodec.WriteUInt64(value, registers, ModbusByteOrder.DCBA);
        Assert.Equal([0x0807, 0x0605, 0x0403, 0x0201], registers);
        Assert.Equal(value, ModbusRegisterCodec.ReadUInt64(registers, ModbusByteOrder.DCBA));
    }

    [Fact]
    public void SixteenBitValuesOnlyFeelTheByteSwap()
    {
        ushort[] register = [0xFFFE];
        Assert.Equal(-2, ModbusRegisterCodec.ReadInt16(register, ModbusByteOrder.ABCD));
        Assert.Equal(-2, ModbusRegisterCodec.ReadInt16(register, ModbusByteOrder.CDAB));
        Assert.Equal(unchecked((short)0xFEFF), ModbusRegisterCodec.ReadInt16(register, ModbusByteOrder.BADC));
        Assert.True(ModbusRegisterCodec.ReadBit(0x0008, 3));
        Assert.False(ModbusRegisterCodec.ReadBit(0x0008, 2));
    }

    [Fact]
    public void RoundTripsEveryNumericTypeWithScaling()
    {
        var scaling = new ModbusScaling(0.1, -40);
        Span<ushort> registers = stackalloc ushort[4];
        foreach (var order in Enum.GetValues<ModbusByteOrder>())
        {
            foreach (var type in new[] { ModbusValueType.Int16, ModbusValueType.UInt16, ModbusValueType.Int32, ModbusValueType.UInt32,
                ModbusValueType.Int64, ModbusValueType.UInt64, ModbusValueType.Float32, ModbusValueType.Float64 })
            {
                ModbusRegisterCodec.WriteNumber(type, 21.5, registers, order, scaling);
                Assert.Equal(21.5, ModbusRegisterCodec.ReadNumber(type, registers, order, scaling), 4);
            }
        }
    }

    [Fact]
    public void ArraysAreConsecutiveElements()
    {
        var registers = new ushort[6];
        ModbusRegisterCodec.WriteNumbers(ModbusValueType.Int32, [-1, 70000, 3], registers, ModbusByteOrder.CDAB, ModbusScaling.Identity);
        Assert.Equal([0xFFFF, 0xFFFF, 0x1170, 0x0001, 3, 0], registers);
        var values = new double[3];
        ModbusRegisterCodec.ReadNumbers(ModbusValueType.Int32, registers, ModbusByteOrder.CDAB, new ModbusScaling(2, 0), values);
        Assert.Equal([-2, 140000, 6], values);
    }

    [Fact]
    public void RefusesValuesOutsideTheRegisterType()
    {
        var registers = new ushort[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRegisterCodec.WriteNumber(ModbusValueType.UInt16, 65536, registers, ModbusByteOrder.ABCD, ModbusScaling.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRegisterCodec.WriteNumber(ModbusValueType.Int16, -32769, registers, ModbusByteOrder.ABCD, ModbusScaling.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRegisterCodec.WriteNumber(ModbusValueType.UInt32, -1, registers, ModbusByteOrder.ABCD, ModbusScaling.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRegisterCodec.WriteNumber(ModbusValueType.Int32, double.NaN, registers, ModbusByteOrder.ABCD, ModbusScaling.Identity));
        ModbusRegisterCodec.WriteNumber(ModbusValueType.UInt16, 65535.4, registers, ModbusByteOrder.ABCD, ModbusScaling.Identity);
        Assert.Equal(65535, registers[0]);
    }

    [Fact]
    public void StringsStopAtNulAndHonourTheByteSwap()
    {
        var registers = new ushort[4];
        ModbusRegisterCodec.WriteString("ABC", registers, ModbusByteOrder.ABCD);
        Assert.Equal([0x4142, 0x4300, 0, 0], registers);
        Assert.Equal("ABC", ModbusRegisterCodec.ReadString(registers));
        ModbusRegisterCodec.WriteString("ABC", registers, ModbusByteOrder.BADC);
        Assert.Equal([0x4241, 0x0043, 0, 0], registers);
        Assert.Equal("ABC", ModbusRegisterCodec.ReadString(registers, ModbusByteOrder.BADC));
        Assert.Equal(7, ModbusValueTypes.RegisterCount(ModbusValueType.String, 14));
        Assert.Equal(8, ModbusValueTypes.RegisterCount(ModbusValueType.String, 15));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRegisterCodec.WriteString("123456789", registers));
    }

    [Theory]
    [InlineData("40001", ModbusAddressBase.OneBased, ModbusTable.HoldingRegisters, 0)]
    [InlineData("40001", ModbusAddressBase.ZeroBased, ModbusTable.HoldingRegisters, 1)]
    [InlineData("49999", ModbusAddressBase.OneBased, ModbusTable.HoldingRegisters, 9998)]
    [InlineData("465536", ModbusAddressBase.OneBased, ModbusTable.HoldingRegisters, 65535)]
    [InlineData("300010", ModbusAddressBase.OneBased, ModbusTable.InputRegisters, 9)]
    [InlineData("30001", ModbusAddressBase.OneBased, ModbusTable.InputRegisters, 0)]
    [InlineData("10001", ModbusAddressBase.OneBased, ModbusTable.DiscreteInputs, 0)]
    [InlineData("00017", ModbusAddressBase.OneBased, ModbusTable.Coils, 16)]
    [InlineData("4x0001", ModbusAddressBase.OneBased, ModbusTable.HoldingRegisters, 0)]
    [InlineData("3X12", ModbusAddressBase.OneBased, ModbusTable.InputRegisters, 11)]
    [InlineData("hr:100", ModbusAddressBase.OneBased, ModbusTable.HoldingRegisters, 99)]
    [InlineData("hr:100", ModbusAddressBase.ZeroBased, ModbusTable.HoldingRegisters, 100)]
    [InlineData("HR100", ModbusAddressBase.ZeroBased, ModbusTable.HoldingRegisters, 100)]
    [InlineData("holding-register:1", ModbusAddressBase.OneBased, ModbusTable.HoldingRegisters, 0)]
    [InlineData(" ir 5 ", ModbusAddressBase.ZeroBased, ModbusTable.InputRegisters, 5)]
    [InlineData("coil:0", ModbusAddressBase.ZeroBased, ModbusTable.Coils, 0)]
    [InlineData("di:65536", ModbusAddressBase.OneBased, ModbusTable.DiscreteInputs, 65535)]
    public void ParsesAddressNotations(string text, ModbusAddressBase addressBase, ModbusTable table, int address)
    {
        Assert.Equal(new ModbusAddress(table, (ushort)address), ModbusAddress.Parse(text, addressBase));
    }

    [Theory]
    [InlineData("", ModbusAddressBase.OneBased, "empty")]
    [InlineData("40000", ModbusAddressBase.OneBased, "outside 1..65536")]
    [InlineData("465537", ModbusAddressBase.OneBased, "outside")]
    [InlineData("hr:65536", ModbusAddressBase.ZeroBased, "outside 0..65535")]
    [InlineData("123", ModbusAddressBase.OneBased, "5 or 6 digits")]
    [InlineData("20001", ModbusAddressBase.OneBased, "reference type 2")]
    [InlineData("xx:1", ModbusAddressBase.OneBased, "unknown table")]
    [InlineData("hr:-1", ModbusAddressBase.ZeroBased, "not an address")]
    [InlineData("hr:1a", ModbusAddressBase.ZeroBased, "not an address")]
    public void ExplainsInvalidAddresses(string text, ModbusAddressBase addressBase, string expected)
    {
        Assert.False(ModbusAddress.TryParse(text, addressBase, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ModbusAddress.Parse(text, addressBase));
    }

    [Fact]
    public void FormatsAsSixDigitReference()
    {
        Assert.Equal("400001", new ModbusAddress(ModbusTable.HoldingRegisters, 0).ToString());
        Assert.Equal("000010", new ModbusAddress(ModbusTable.Coils, 9).ToString());
        Assert.Equal(new ModbusAddress(ModbusTable.InputRegisters, 4), ModbusAddress.FromOffset(ModbusTable.InputRegisters, 5));
    }
}
