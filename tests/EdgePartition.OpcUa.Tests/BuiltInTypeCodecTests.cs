using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Part 6 §5.2 encodings added for the complete client: matrices, DiagnosticInfo, picoseconds, known structures.</summary>
public sealed class BuiltInTypeCodecTests
{
    [Fact]
    public void MatrixKeepsItsDimensionsAndReencodesToTheSameBytes()
    {
        // Int32 matrix 2x1: mask 0xC6 (Int32 | array | dimensions), length 2, values, then 2 dimensions [2, 1].
        var bytes = Convert.FromHexString("C6" + "02000000" + "0100000002000000" + "02000000" + "0200000001000000");
        var value = Decode(bytes);
        Assert.Equal(new[] { 2, 1 }, value.ArrayDimensions);
        Assert.Equal(new[] { 1, 2 }, (int[])value.Reference!);
        Assert.Equal(bytes, Encode(value));
    }

    [Theory]
    [InlineData("C6" + "02000000" + "0100000002000000" + "02000000" + "0300000001000000")] // 3x1 for 2 values
    [InlineData("C6" + "02000000" + "0100000002000000" + "02000000" + "FEFFFFFF" + "FFFFFFFF")] // negative dimensions
    [InlineData("C6" + "00000000" + "FFFFFF7F")] // dimension count beyond the message
    public void MatrixWithInconsistentDimensionsIsMalformed(string hex) =>
        Assert.Throws<OpcUaProtocolException>(() => Decode(Convert.FromHexString(hex)));

    [Fact]
    public void StatusCodeArrayKeepsItsValues()
    {
        // Before: StatusCode arrays decoded to boxed objects that re-encoded as zeros.
        var value = Variant.FromArray(BuiltInType.StatusCode, new[] { StatusCodes.BadNodeIdUnknown, StatusCodes.Good });
        var decoded = Decode(Encode(value));
        Assert.Equal(new[] { StatusCodes.BadNodeIdUnknown, StatusCodes.Good }, (uint[])decoded.Reference!);
        Assert.Equal(Encode(value), Encode(decoded));
    }

    [Fact]
    public void ByteStringArrayWithNullElementRoundTrips()
    {
        // Before: a null element decoded as a boxed 0UL and could not be re-encoded.
        var value = Variant.FromArray(BuiltInType.ByteString, new object?[] { new byte[] { 1, 2 }, null });
        var decoded = Decode(Encode(value));
        var elements = (object?[])decoded.Reference!;
        Assert.Equal(new byte[] { 1, 2 }, (byte[])elements[0]!);
        Assert.Null(elements[1]);
        Assert.Equal(Encode(value), Encode(decoded));
    }

    [Fact]
    public void DiagnosticInfoDecodesEveryFieldInWireOrder()
    {
        // Mask 0x7F; wire order SymbolicId, NamespaceUri, Locale, LocalizedText, AdditionalInfo, InnerStatusCode, Inner.
        var bytes = Convert.FromHexString("7F" + "01000000" + "02000000" + "03000000" + "04000000" + "0100000078" + "00003480" + "01" + "09000000");
        var reader = new UaReader(bytes);
        var info = DiagnosticInfoCodec.Read(ref reader);
        Assert.Equal((1, 2, 3, 4), (info.SymbolicId, info.NamespaceUri, info.Locale, info.LocalizedText));
        Assert.Equal("x", info.AdditionalInfo);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, info.InnerStatusCode);
        Assert.Equal(9, info.Inner!.SymbolicId);
        var writer = new UaWriter();
        DiagnosticInfoCodec.Write(writer, info);
        Assert.Equal(bytes, writer.Written.ToArray());
    }

    [Fact]
    public void DiagnosticInfoInAVariantIsDecoded()
    {
        var value = Decode(Convert.FromHexString("19" + "01" + "07000000"));
        Assert.Equal(7, ((DiagnosticInfo)value.Reference!).SymbolicId);
    }

    [Fact]
    public void DataValueCarriesPicosecondsAndClampsThem()
    {
        var ts = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var value = new DataValue(Variant.FromInt16(-2), 0, ts, ts) { SourcePicoseconds = 12, ServerPicoseconds = 9999 };
        var writer = new UaWriter();
        VariantCodec.WriteDataValue(writer, value);
        Assert.Equal(0x3D, writer.Written[0]);
        var reader = new UaReader(writer.Written);
        Assert.Equal(value, VariantCodec.ReadDataValue(ref reader));

        // 10 000 and above mean 9 999 (Part 6 §5.2.2.17).
        var bytes = writer.Written.ToArray();
        bytes[^2] = 0x10;
        bytes[^1] = 0x27;
        reader = new UaReader(bytes);
        Assert.Equal(9999, VariantCodec.ReadDataValue(ref reader).ServerPicoseconds);
    }

    [Fact]
    public void KnownStructureIsDecodedAndItsBodyKept()
    {
        // ExtensionObject i=886 (Range), binary body of 16 bytes: Low 0.0, High 100.0.
        var bytes = Convert.FromHexString("16" + "01007603" + "01" + "10000000" + "0000000000000000" + "0000000000005940");
        var value = Decode(bytes);
        var extension = (ExtensionObject)value.Reference!;
        Assert.Equal(new ValueRange(0, 100), extension.Structure);
        Assert.Equal(16, extension.Body!.Length);
        Assert.Equal(bytes, Encode(value));
    }

    [Fact]
    public void KnownStructuresEncodeFromTheirDotNetValue()
    {
        var build = new BuildInfo("urn:p", "m", "n", "1.0", "42", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        object[] structures =
        [
            new ServerStatusDataType(build.BuildDate, build.BuildDate.AddDays(1), ServerState.Running, build, 0, new LocalizedText(null, null)),
            build,
            new ValueRange(-1, 1),
            new EUInformation("http://www.opcfoundation.org/UA/units/un/cefact", 4408652, new LocalizedText("en", "°C"), new LocalizedText(null, "degree Celsius")),
            new Argument("speed", new NodeId(0, 11), -1, [], new LocalizedText(null, "rpm")),
            new DataChangeFilter(DataChangeTrigger.StatusValue, DeadbandType.Absolute, 0.5),
            new StatusChangeNotification(StatusCodes.BadTimeout, DiagnosticInfoCodec.Empty),
        ];
        uint[] ids = [ServerStatusDataType.BinaryEncodingId, BuildInfo.BinaryEncodingId, ValueRange.BinaryEncodingId, EUInformation.BinaryEncodingId,
            Argument.BinaryEncodingId, DataChangeFilter.BinaryEncodingId, StatusChangeNotification.BinaryEncodingId];
        for (var i = 0; i < structures.Length; i++)
        {
            var encoded = Encode(Variant.FromReference(BuiltInType.ExtensionObject, ExtensionObject.FromStructure(ids[i], structures[i])));
            var decoded = (ExtensionObject)Decode(encoded).Reference!;
            Assert.Equal(ids[i], decoded.TypeId.Numeric);
            Assert.Equal(structures[i].ToString(), decoded.Structure!.ToString());
        }
    }

    [Fact]
    public void UnknownStructureKeepsItsRawBody()
    {
        var bytes = Convert.FromHexString("16" + "0102E803" + "01" + "03000000" + "AABBCC");
        var extension = (ExtensionObject)Decode(bytes).Reference!;
        Assert.Null(extension.Structure);
        Assert.Equal(new NodeId(2, 1000), extension.TypeId);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, extension.Body);
    }

    [Fact]
    public void VariantArraysNestedBeyondTheLimitAreMalformed()
    {
        // A Variant array holding one Variant array holding one ... : 0x98 count 1, repeated.
        var nested = Enumerable.Repeat(Convert.FromHexString("9801000000"), UaReader.MaxNestingDepth + 1).SelectMany(b => b).Append((byte)0).ToArray();
        Assert.Throws<OpcUaProtocolException>(() => Decode(nested));
        var shallow = Enumerable.Repeat(Convert.FromHexString("9801000000"), 4).SelectMany(b => b).Append((byte)0).ToArray();
        Assert.True(Decode(shallow).IsArray);
    }

    [Fact]
    public void NestingCountsThroughExtensionObjectBodies()
    {
        // EventNotificationList bodies that each hold an event field which is again an EventNotificationList.
        byte[] body = [0x00];
        for (var i = 0; i < UaReader.MaxNestingDepth; i++)
        {
            var writer = new UaWriter();
            writer.WriteInt32(1);
            writer.WriteUInt32(1);
            writer.WriteInt32(1);
            writer.WriteByte((byte)BuiltInType.ExtensionObject);
            NodeIdCodec.Write(writer, new NodeId(0, EventNotificationList.BinaryEncodingId));
            writer.WriteByte(1);
            writer.WriteByteString(body);
            body = writer.Written.ToArray();
        }

        var outer = new UaWriter();
        outer.WriteByte((byte)BuiltInType.ExtensionObject);
        NodeIdCodec.Write(outer, new NodeId(0, EventNotificationList.BinaryEncodingId));
        outer.WriteByte(1);
        outer.WriteByteString(body);
        var ex = Assert.Throws<OpcUaProtocolException>(() => Decode(outer.Written.ToArray()));
        Assert.Contains("nested deeper", ex.Message, StringComparison.Ordinal);
    }

    internal static byte[] Encode(in Variant value)
    {
        var writer = new UaWriter();
        VariantCodec.Write(writer, value);
        return writer.Written.ToArray();
    }

    internal static Variant Decode(byte[] bytes)
    {
        var reader = new UaReader(bytes);
        var value = VariantCodec.Read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return value;
    }
}
