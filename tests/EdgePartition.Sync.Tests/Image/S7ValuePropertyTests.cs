using System.Text;
using System.Text.Json;
using EdgePartition.Collector.Drivers;
using EdgePartition.Collector.Layout;
using EdgePartition.Config;
using EdgePartition.Consumers.Json;
using EdgePartition.Ipc;
using EdgePartition.S7;
using EdgePartition.Sync.Image;
using EdgePartition.Sync.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace EdgePartition.Sync.Tests.Image;

/// <summary>
/// Every S7 type, edge values included, goes PLC bytes → collector (S7TagCodec) → segment → both JSON writers and
/// → sync's image encoder → PLC bytes, and comes back unchanged. Latin-1 STRING and UTF-16 WSTRING included.
/// </summary>
public sealed class S7ValuePropertyTests : IDisposable
{
    private const int Characters = 12;

    /// <summary>One tag per S7 type the merged image can carry raw (BOOL goes into the image as a bit, not bytes).</summary>
    private static readonly string[] Types =
    [
        "BYTE", "WORD", "DWORD", "LWORD", "SINT", "USINT", "INT", "UINT", "DINT", "UDINT", "LINT", "ULINT", "REAL", "LREAL",
        "CHAR", "WCHAR", "STRING", "WSTRING", "TIME", "LTIME", "S5TIME", "DATE", "TIME_OF_DAY", "DATE_AND_TIME", "DTL",
    ];

    private readonly TestPartition _partition;
    private readonly DeviceLayout _layout;
    private readonly SegmentWriter _writer;
    private readonly SegmentReader _reader;

    public S7ValuePropertyTests()
    {
        var tags = new StringBuilder();
        var offset = 0;
        foreach (var type in Types)
        {
            var s7 = Parse(type);
            var length = s7 is S7DataType.String or S7DataType.WString ? $" stringLength=\"{Characters}\"" : "";
            tags.Append($"<tag name=\"{type}\" address=\"DB1.DBB{offset}\" type=\"{type}\"{length}/>");
            offset += (S7DataTypes.SizeOf(s7, Characters) + 1) & ~1;
        }

        _partition = TestPartition.Create(
            "codec",
            """<partition xmlns="urn:edgepartition:partition:1" name="codec" segmentDirectory="/dev/shm"><include path="plc.xml"/></partition>""",
            "plc.xml",
            $"""<s7Devices xmlns="urn:edgepartition:s7:1"><device name="plc" host="127.0.0.1"><pollGroup name="main" cycleMs="100">{tags}</pollGroup></device></s7Devices>""");
        _layout = DeviceLayout.Build(_partition.Config.Devices[0]);
        _writer = SegmentWriter.Create(_partition.SegmentDirectory, _partition.Name, "plc", _layout.Segment);
        _reader = SegmentReader.Open(_partition.SegmentDirectory, _partition.Name, "plc");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _partition.Dispose();
    }

    [Fact]
    public void EveryTypeSurvivesSegmentJsonAndSyncImage()
    {
        var cases =
            from index in Gen.Choose(0, Types.Length - 1)
            from plc in PlcBytes(Parse(Types[index]))
            select (index, plc);
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(cases.ToArbitrary(), c => RoundTrips(c.index, c.plc)));
    }

    private bool RoundTrips(int index, byte[] plc)
    {
        var mapping = _layout.Tags[index];
        new S7TagCodec(mapping).Decode(plc, _writer);
        _writer.Commit();
        var snapshot = _reader.CreateSnapshot();
        Assert.True(_reader.TryReadSnapshot(snapshot));

        var image = new byte[mapping.Config.ByteLength];
        Assert.True(RawValueEncoder.TryEncode(snapshot, index, DeviceValueFormat.Of(mapping.Config, Protocol.S7), image), Types[index]);
        Assert.Equal(plc, image);

        AssertJson(snapshot, index, plc);
        return true;
    }

    /// <summary>Both JSON documents render the value, and agree with each other on numbers and text.</summary>
    private void AssertJson(SegmentSnapshot snapshot, int index, byte[] plc)
    {
        using var api = new MemoryStream();
        using (var json = new Utf8JsonWriter(api))
        {
            TagValueJson.WriteValue(json, snapshot.Data, snapshot.Layout.Tag(index), snapshot.Layout.Slot(index));
        }

        using var dump = new MemoryStream();
        using (var json = new Utf8JsonWriter(dump))
        {
            SegmentJson.Write(json, "plc", default, snapshot);
        }

        var apiValue = JsonDocument.Parse(api.ToArray()).RootElement;
        var dumpValue = JsonDocument.Parse(dump.ToArray()).RootElement.GetProperty("tags")[index].GetProperty("value");
        var type = Parse(Types[index]);
        if (type is S7DataType.String or S7DataType.WString)
        {
            Span<char> chars = stackalloc char[Characters];
            var text = new string(chars[..S7ValueCodec.GetText(type, plc, chars)]);
            Assert.Equal(text, apiValue.GetString());
            Assert.Equal(text, dumpValue.GetString());
        }
        else if (S7ValueCodec.TryGetNumber(type, plc, 0, out var number) && snapshot.Layout.Tag(index).DataType is not (IpcDataType.Duration or IpcDataType.DateTime))
        {
            Assert.Equal(apiValue.GetRawText(), dumpValue.GetRawText());
            if (type == S7DataType.Real && float.IsFinite((float)number))
            {
                Assert.Equal((float)number, apiValue.GetSingle());
            }
            else if (double.IsFinite(number))
            {
                Assert.Equal(number, apiValue.GetDouble());
            }
        }
    }

    /// <summary>Valid PLC bytes of one value: any bit pattern for numbers, canonical encodings for the rest.</summary>
    private static Gen<byte[]> PlcBytes(S7DataType type)
    {
        var size = S7DataTypes.SizeOf(type, Characters);
        Gen<byte[]> Encoded<T>(Gen<T> values, Action<byte[], T> encode) => values.Select(v =>
        {
            var bytes = new byte[size];
            encode(bytes, v);
            return bytes;
        });

        var anyBytes = Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), size);
        return type switch
        {
            S7DataType.Real => Encoded(Edges(ArbMap.Default.GeneratorFor<float>(), float.NaN, float.PositiveInfinity, float.MinValue, float.Epsilon, -0f), (b, v) => S7ValueCodec.SetReal(b, v)),
            S7DataType.LReal => Encoded(Edges(ArbMap.Default.GeneratorFor<double>(), double.NaN, double.NegativeInfinity, double.MaxValue, double.Epsilon), (b, v) => S7ValueCodec.SetLReal(b, v)),
            S7DataType.String => Encoded(Text(Gen.Choose(0x20, 0xFF)), (b, t) => S7ValueCodec.SetText(type, b, Characters, t)),

            // Any UTF-16 code unit but lone surrogates, which no text encoding carries.
            S7DataType.WString => Encoded(Text(Gen.OneOf(Gen.Choose(1, 0xD7FF), Gen.Choose(0xE000, 0xFFFF))), (b, t) => S7ValueCodec.SetText(type, b, Characters, t)),
            S7DataType.TimeOfDay => Encoded(Gen.Choose(0, 86_399_999), (b, ms) => S7ValueCodec.SetUDInt(b, (uint)ms)),
            S7DataType.S5Time => Encoded(Gen.Choose(0, 9_990_000), (b, ms) => S7ValueCodec.SetS5Time(b, TimeSpan.FromMilliseconds(ms))),
            S7DataType.Date => Encoded(Gen.Choose(0, ushort.MaxValue), (b, days) => S7ValueCodec.SetUInt(b, (ushort)days)),
            S7DataType.DateAndTime => Encoded(Ticks(new DateTime(1990, 1, 1), new DateTime(2089, 12, 31, 23, 59, 59, 999), TimeSpan.TicksPerMillisecond),
                (b, t) => S7ValueCodec.SetDateAndTime(b, new DateTime(t))),
            S7DataType.Dtl => Encoded(Ticks(new DateTime(1970, 1, 1), new DateTime(2262, 1, 1), 1).SelectMany(t => Gen.Choose(0, 99).Select(ns => (t, ns))),
                (b, v) => S7ValueCodec.SetUnixNs(type, b, ((v.t - DateTime.UnixEpoch.Ticks) * 100) + v.ns)),
            _ => anyBytes,
        };
    }

    private static Gen<T> Edges<T>(Gen<T> values, params T[] edges) => Gen.OneOf(values, Gen.Elements(edges));

    private static Gen<string> Text(Gen<int> codeUnits) =>
        Gen.Choose(0, Characters).SelectMany(n => Gen.ArrayOf(codeUnits.Select(c => (char)c), n)).Select(chars => new string(chars));

    private static Gen<long> Ticks(DateTime from, DateTime to, long resolution) =>
        Gen.Choose(0, int.MaxValue).Select(r => from.Ticks + ((long)((to.Ticks - from.Ticks) / resolution * (r / (double)int.MaxValue)) * resolution));

    private static S7DataType Parse(string type) => S7DataTypes.TryParse(type, out var parsed) ? parsed : throw new ArgumentException(type);
}
