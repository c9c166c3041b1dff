using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;
using FsCheck;
using FsCheck.Fluent;

namespace EdgePartition.OpcUa.Tests;

/// <summary>For every built-in type as scalar, array and matrix: encode → decode → encode gives the same bytes.</summary>
public sealed class VariantPropertyTests
{
    private static readonly Gen<Variant> Variants =
        from type in Gen.Choose(1, 25)
        from shape in Gen.Choose(VariantSamples.Scalar, VariantSamples.Matrix)
        from seed in Gen.Choose(0, int.MaxValue)
        select VariantSamples.Build((BuiltInType)type, shape, seed);

    [Fact]
    public void EveryVariantTypeRoundTrips() =>
        Prop.ForAll(Variants.ToArbitrary(), RoundTrips).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));

    [Fact]
    public void EveryVariantTypeRoundTripsInsideADataValue() =>
        Prop.ForAll(Variants.ToArbitrary(), value =>
        {
            var dataValue = new DataValue(value, StatusCodes.UncertainLastUsableValue, DateTime.MinValue, new DateTime(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc))
            {
                ServerPicoseconds = 5,
            };
            var writer = new UaWriter();
            VariantCodec.WriteDataValue(writer, dataValue);
            var bytes = writer.Written.ToArray();
            var reader = new UaReader(bytes);
            var decoded = VariantCodec.ReadDataValue(ref reader);
            writer.Reset();
            VariantCodec.WriteDataValue(writer, decoded);
            return reader.Remaining == 0 && bytes.AsSpan().SequenceEqual(writer.Written) && decoded.ServerPicoseconds == 5;
        }).QuickCheckThrowOnFailure();

    private static bool RoundTrips(Variant value)
    {
        var bytes = BuiltInTypeCodecTests.Encode(value);
        var decoded = BuiltInTypeCodecTests.Decode(bytes);
        return decoded.Type == value.Type
            && decoded.IsArray == value.IsArray
            && (decoded.ArrayDimensions ?? []).SequenceEqual(value.ArrayDimensions ?? [])
            && bytes.AsSpan().SequenceEqual(BuiltInTypeCodecTests.Encode(decoded));
    }
}
