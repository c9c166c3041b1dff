using EdgePartition.Consumers.Endpoints;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Tests.Endpoints;

public sealed class EndpointValueCodecTests
{
    private static MappedTag Tag(IpcDataType type, int elementSize, int count = 1) =>
        new("t", 0, type, count, 0, 0, elementSize, 0, Writable: true);

    [Theory]
    [InlineData(IpcDataType.Int8, 2, new byte[] { 0xFF, 0x80 }, new byte[] { 0x80 })]     // -128 in a register
    [InlineData(IpcDataType.UInt8, 2, new byte[] { 0x00, 0xFF }, new byte[] { 0xFF })]
    [InlineData(IpcDataType.UInt8, 1, new byte[] { 0xFF }, new byte[] { 0xFF })]          // S7 USINT: the byte itself
    [InlineData(IpcDataType.Bool, 2, new byte[] { 0x00, 0x01 }, new byte[] { 0x01 })]
    [InlineData(IpcDataType.Int32, 4, new byte[] { 0x01, 0x02, 0x03, 0x04 }, new byte[] { 0x04, 0x03, 0x02, 0x01 })]
    [InlineData(IpcDataType.DateTime, 8, new byte[] { 0, 0, 0, 0, 0, 0, 0x01, 0x02 }, new byte[] { 0x02, 0x01, 0, 0, 0, 0, 0, 0 })]
    public void ConvertsEndpointBytesToSegmentElements(IpcDataType type, int elementSize, byte[] endpoint, byte[] segment)
    {
        Span<byte> output = stackalloc byte[16];
        var result = EndpointValueCodec.Decode(Tag(type, elementSize), EndpointProtocol.Modbus, 0, endpoint, output, out int offset, out int length);
        Assert.Equal(WriteConversion.Ok, result);
        Assert.Equal(0, offset);
        Assert.Equal(segment, output[..length].ToArray());
    }

    [Theory]
    [InlineData(IpcDataType.Int8, 2, new byte[] { 0x00, 0x80 })]      // 128 does not fit an Int8
    [InlineData(IpcDataType.UInt8, 2, new byte[] { 0x01, 0x00 })]     // 256 does not fit a byte
    [InlineData(IpcDataType.Bool, 2, new byte[] { 0x00, 0x02 })]
    public void RefusesValuesTheTagCannotHold(IpcDataType type, int elementSize, byte[] endpoint)
    {
        Span<byte> output = stackalloc byte[16];
        Assert.Equal(WriteConversion.BadValue,
            EndpointValueCodec.Decode(Tag(type, elementSize), EndpointProtocol.Modbus, 0, endpoint, output, out _, out _));
    }

    [Fact]
    public void WritesToTheSecondArrayElementLandAtItsSegmentOffset()
    {
        Span<byte> output = stackalloc byte[16];
        var result = EndpointValueCodec.Decode(Tag(IpcDataType.Int16, 2, count: 4), EndpointProtocol.S7, 2, [0x12, 0x34], output, out int offset, out int length);
        Assert.Equal((WriteConversion.Ok, 2, 2), (result, offset, length));
        Assert.Equal(WriteConversion.PartialElement,
            EndpointValueCodec.Decode(Tag(IpcDataType.Int16, 2, count: 4), EndpointProtocol.S7, 1, [0x12, 0x34], output, out _, out _));
        Assert.Equal(WriteConversion.OutOfRange,
            EndpointValueCodec.Decode(Tag(IpcDataType.Int16, 2, count: 4), EndpointProtocol.S7, 8, [0x12, 0x34], output, out _, out _));
    }

    [Fact]
    public void EncodesNarrowValuesAsWholeRegistersOnModbusAndBytesOnS7()
    {
        var block = new byte[2];
        EndpointValueCodec.Encode(Tag(IpcDataType.Int8, 2), EndpointProtocol.Modbus, [0xFE], block);
        Assert.Equal(new byte[] { 0xFF, 0xFE }, block);
        EndpointValueCodec.Encode(Tag(IpcDataType.Int8, 1), EndpointProtocol.S7, [0xFE], block);
        Assert.Equal(0xFE, block[0]);
    }
}
