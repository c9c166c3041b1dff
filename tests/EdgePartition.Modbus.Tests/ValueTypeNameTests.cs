using EdgePartition.Modbus.Data;

namespace EdgePartition.Modbus.Tests;

public sealed class ValueTypeNameTests
{
    [Theory]
    [InlineData("bit", ModbusValueType.Bit, 1)]
    [InlineData("int16", ModbusValueType.Int16, 1)]
    [InlineData("uint16", ModbusValueType.UInt16, 1)]
    [InlineData("int32", ModbusValueType.Int32, 2)]
    [InlineData("uint32", ModbusValueType.UInt32, 2)]
    [InlineData("float32", ModbusValueType.Float32, 2)]
    [InlineData("int64", ModbusValueType.Int64, 4)]
    [InlineData("uint64", ModbusValueType.UInt64, 4)]
    [InlineData("float64", ModbusValueType.Float64, 4)]
    public void ConfigNamesParseToTypesOfKnownWidth(string name, ModbusValueType expected, int registers)
    {
        Assert.True(ModbusValueTypes.TryParse(name, out var type));
        Assert.Equal(expected, type);
        Assert.Equal(registers, ModbusValueTypes.RegisterCount(type));
    }

    [Theory]
    [InlineData("Int16")]
    [InlineData("bool")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownNamesDoNotParse(string? name) => Assert.False(ModbusValueTypes.TryParse(name, out _));

    [Fact]
    public void EveryTypeHasAName()
    {
        var names = new[] { "bit", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "string" };
        var parsed = names.Select(n => ModbusValueTypes.TryParse(n, out var t) ? t : throw new InvalidOperationException(n));
        Assert.Equal(Enum.GetValues<ModbusValueType>().Order(), parsed.Order());
    }
}
