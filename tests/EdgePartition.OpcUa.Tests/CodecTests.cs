using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

public sealed class CodecTests
{
    [Theory]
    [InlineData("i=13", "000D")]
    [InlineData("ns=1;i=1025", "01010104")]
    [InlineData("ns=0;i=70000", "02000070110100")]
    [InlineData("ns=300;i=5", "022C0105000000")]
    [InlineData("ns=1;s=Hot水", "030100060000" + "00486F74E6B0B4")]
    [InlineData("ns=2;g=72962b91-fa75-4ae6-8d28-b404dc7daf63", "040200912B967275FAE64A8D28B404DC7DAF63")]
    [InlineData("ns=1;b=AQID", "050100030000000102" + "03")]
    public void NodeIdUsesTheSmallestEncoding(string text, string hex)
    {
        var writer = new UaWriter();
        NodeIdCodec.Write(writer, NodeId.Parse(text));
        Assert.Equal(hex, Convert.ToHexString(writer.Written));
        var reader = new UaReader(writer.Written);
        Assert.Equal(NodeId.Parse(text), NodeIdCodec.Read(ref reader));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ExpandedNodeIdCarriesUriAndServerIndex()
    {
        var expanded = new ExpandedNodeId(new NodeId(0, 5u), "urn:x", 3);
        var writer = new UaWriter();
        NodeIdCodec.WriteExpanded(writer, expanded);
        Assert.Equal("C005" + "0500000075726E3A78" + "03000000", Convert.ToHexString(writer.Written));
        var reader = new UaReader(writer.Written);
        Assert.Equal(expanded, NodeIdCodec.ReadExpanded(ref reader));
    }

    [Fact]
    public void NodeIdReaderRefusesExpandedFlags()
    {
        AssertMalformed([0x80, 0x05], static (ref UaReader r) => NodeIdCodec.Read(ref r));
    }

    [Fact]
    public void StringsAreLengthPrefixedUtf8AndNullIsMinusOne()
    {
        var writer = new UaWriter();
        writer.WriteString("ab");
        writer.WriteString(null);
        writer.WriteString(string.Empty);
        Assert.Equal("020000006162" + "FFFFFFFF" + "00000000", Convert.ToHexString(writer.Written));
        var reader = new UaReader(writer.Written);
        Assert.Equal("ab", reader.ReadString());
        Assert.Null(reader.ReadString());
        Assert.Equal(string.Empty, reader.ReadString());
    }

    [Fact]
    public void DateTimeIsFileTimeTicksAndMinValueIsZero()
    {
        var writer = new UaWriter();
        writer.WriteDateTime(new DateTime(1601, 1, 1, 0, 0, 1, DateTimeKind.Utc));
        writer.WriteDateTime(DateTime.MinValue);
        Assert.Equal("8096980000000000" + "0000000000000000", Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void GuidFollowsPart6Layout()
    {
        var writer = new UaWriter();
        writer.WriteGuid(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"));
        Assert.Equal("912B967275FAE64A8D28B404DC7DAF63", Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void VariantScalarGoldenBytes()
    {
        Assert.Equal("06" + "15CD5B07", Encode(Variant.FromInt32(123456789)));
        Assert.Equal("01" + "01", Encode(Variant.FromBoolean(true)));
        Assert.Equal("0B" + "0000000000000A40", Encode(Variant.FromDouble(3.25)));
        Assert.Equal("0C" + "020000006869", Encode(Variant.FromString("hi")));
        Assert.Equal("00", Encode(default));
    }

    [Fact]
    public void VariantArrayGoldenBytes() =>
        Assert.Equal("86" + "02000000" + "0100000002000000", Encode(Variant.FromArray(BuiltInType.Int32, new[] { 1, 2 })));

    [Fact]
    public void EveryScalarTypeRoundTrips()
    {
        var values = new[]
        {
            Variant.FromBoolean(true), Variant.FromSByte(-5), Variant.FromByte(200), Variant.FromInt16(-1234), Variant.FromUInt16(60000),
            Variant.FromInt32(-123456789), Variant.FromUInt32(4000000000), Variant.FromInt64(-1L << 40), Variant.FromUInt64(ulong.MaxValue),
            Variant.FromFloat(1.5f), Variant.FromDouble(-2.25), Variant.FromString("héllo"),
            Variant.FromDateTime(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)), Variant.FromStatusCode(StatusCodes.BadNodeIdUnknown),
            Variant.FromByteString([1, 2, 3]), Variant.FromReference(BuiltInType.Guid, Guid.NewGuid()),
            Variant.FromReference(BuiltInType.NodeId, new NodeId(2, "x")),
            Variant.FromReference(BuiltInType.QualifiedName, new QualifiedName(2, "Speed")),
            Variant.FromReference(BuiltInType.LocalizedText, new LocalizedText("en", "Speed")),
        };
        foreach (var value in values)
        {
            var decoded = Decode(Encode(value));
            Assert.Equal(value.Type, decoded.Type);
            Assert.Equal(value.Bits, decoded.Bits);
            Assert.Equal(value.Reference is byte[] bytes ? Convert.ToHexString(bytes) : value.Reference,
                decoded.Reference is byte[] got ? Convert.ToHexString(got) : decoded.Reference);
        }
    }

    [Fact]
    public void ArraysRoundTrip()
    {
        var doubles = Decode(Encode(Variant.FromArray(BuiltInType.Double, new[] { 1.0, 2.5, -3.0 })));
        Assert.True(doubles.IsArray);
        Assert.Equal(new[] { 1.0, 2.5, -3.0 }, (double[])doubles.Reference!);
        var strings = Decode(Encode(Variant.FromArray(BuiltInType.String, new string?[] { "a", null, "c" })));
        Assert.Equal(new string?[] { "a", null, "c" }, (string?[])strings.Reference!);
        var bools = Decode(Encode(Variant.FromArray(BuiltInType.Boolean, new[] { true, false })));
        Assert.Equal(new[] { true, false }, (bool[])bools.Reference!);
    }

    [Fact]
    public void MatrixDimensionsAreSkippedAndValuesKept()
    {
        // Int32 matrix 2x1: mask 0xC6, length 2, values, then dimensions [2, 1].
        var bytes = Convert.FromHexString("C6" + "02000000" + "0100000002000000" + "02000000" + "0200000001000000");
        var reader = new UaReader(bytes);
        var value = VariantCodec.Read(ref reader);
        Assert.Equal(new[] { 1, 2 }, (int[])value.Reference!);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void DataValueRoundTripsWithTimestamps()
    {
        var source = new DateTime(2025, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var value = new DataValue(Variant.FromUInt32(7), StatusCodes.UncertainLastUsableValue, source, source.AddSeconds(1));
        var writer = new UaWriter();
        VariantCodec.WriteDataValue(writer, value);
        Assert.Equal(0x0F, writer.Written[0]);
        var reader = new UaReader(writer.Written);
        var decoded = VariantCodec.ReadDataValue(ref reader);
        Assert.Equal(value.StatusCode, decoded.StatusCode);
        Assert.Equal(source, decoded.SourceTimestamp);
        Assert.Equal(source.AddSeconds(1), decoded.ServerTimestamp);
        Assert.Equal(7UL, decoded.Value.Bits);
    }

    [Fact]
    public void DataValueWithPicosecondsAndOnlyStatusDecodes()
    {
        // Mask 0x32: status + source pico + server pico (no timestamps), as some servers send.
        var reader = new UaReader(Convert.FromHexString("32" + "00003480" + "0A00" + "0B00"));
        var value = VariantCodec.ReadDataValue(ref reader);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, value.StatusCode);
        Assert.True(value.Value.IsNull);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ExtensionObjectBodyIsKeptRaw()
    {
        var reader = new UaReader(Convert.FromHexString("01000001" + "01" + "03000000" + "AABBCC"));
        var value = StructureCodec.ReadExtensionObject(ref reader);
        Assert.Equal(new NodeId(0, 256u), value.TypeId);
        Assert.Equal("AABBCC", Convert.ToHexString(value.Body!));
    }

    [Fact]
    public void DiagnosticInfoIsSkippedInWireOrder()
    {
        // SymbolicId, Locale, AdditionalInfo "x", InnerStatusCode, inner with NamespaceUri.
        var bytes = Convert.FromHexString("79" + "01000000" + "02000000" + "0100000078" + "00003480" + "02" + "05000000" + "EE");
        var reader = new UaReader(bytes);
        StructureCodec.SkipDiagnosticInfo(ref reader);
        Assert.Equal(1, reader.Remaining);
    }

    [Fact]
    public void DeeplyNestedDiagnosticInfoIsRefused()
    {
        var bytes = Enumerable.Repeat((byte)0x40, 100).Append((byte)0).ToArray();
        AssertMalformed(bytes, static (ref UaReader r) => StructureCodec.SkipDiagnosticInfo(ref r));
    }

    [Fact]
    public void HugeArrayLengthIsRefusedBeforeAllocating()
    {
        AssertMalformed(Convert.FromHexString("8B" + "FFFFFF7F" + "00"), static (ref UaReader r) => VariantCodec.Read(ref r));
        AssertMalformed(Convert.FromHexString("8B" + "10000000" + "0000000000000000"), static (ref UaReader r) => VariantCodec.Read(ref r));
    }

    private delegate void ReaderAction(ref UaReader reader);

    private static void AssertMalformed(byte[] data, ReaderAction action) =>
        Assert.Throws<OpcUaProtocolException>(() =>
        {
            var reader = new UaReader(data);
            action(ref reader);
        });

    private static string Encode(Variant value)
    {
        var writer = new UaWriter();
        VariantCodec.Write(writer, value);
        return Convert.ToHexString(writer.Written);
    }

    private static Variant Decode(string hex)
    {
        var reader = new UaReader(Convert.FromHexString(hex));
        var value = VariantCodec.Read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return value;
    }
}
