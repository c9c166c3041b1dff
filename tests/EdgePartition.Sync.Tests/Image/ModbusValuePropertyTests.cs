using System.Buffers.Binary;
using System.Text;
using EdgePartition.Collector.Drivers;
using EdgePartition.Collector.Layout;
using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Modbus.Data;
using EdgePartition.Sync.Image;
using EdgePartition.Sync.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace EdgePartition.Sync.Tests.Image;

/// <summary>
/// Every Modbus register type in every byte order, and Latin-1 strings, goes registers → collector
/// (ModbusTagCodec) → segment → sync's image encoder → the same registers (big-endian bytes) unchanged.
/// </summary>
public sealed class ModbusValuePropertyTests : IDisposable
{
    private const int Characters = 16;
    private static readonly string[] Types = ["int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "string"];
    private static readonly string[] Orders = ["ABCD", "CDAB", "BADC", "DCBA"];

    private readonly TestPartition _partition;
    private readonly DeviceLayout _layout;
    private readonly SegmentWriter _writer;
    private readonly SegmentReader _reader;

    public ModbusValuePropertyTests()
    {
        var tags = new StringBuilder();
        var register = 0;
        foreach (var type in Types)
        {
            foreach (var order in Orders)
            {
                var length = type == "string" ? $" stringLength=\"{Characters}\"" : "";
                tags.Append($"<tag name=\"{type}_{order}\" address=\"holding:{register}\" type=\"{type}\" byteOrder=\"{order}\"{length}/>");
                register += 8;
            }
        }

        _partition = TestPartition.Create(
            "codec",
            """<partition xmlns="urn:edgepartition:partition:1" name="codec" segmentDirectory="/dev/shm"><include path="meters.xml"/></partition>""",
            "meters.xml",
            $"""<modbusDevices xmlns="urn:edgepartition:modbus:1"><device name="meter" host="127.0.0.1"><pollGroup name="main" cycleMs="100">{tags}</pollGroup></device></modbusDevices>""");
        _layout = DeviceLayout.Build(_partition.Config.Devices[0]);
        _writer = SegmentWriter.Create(_partition.SegmentDirectory, _partition.Name, "meter", _layout.Segment);
        _reader = SegmentReader.Open(_partition.SegmentDirectory, _partition.Name, "meter");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _partition.Dispose();
    }

    [Fact]
    public void EveryTypeAndByteOrderSurvivesSyncImage()
    {
        var cases =
            from index in Gen.Choose(0, _layout.Tags.Count - 1)
            from registers in Registers(new ModbusTagCodec(_layout.Tags[index]))
            select (index, registers);
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(cases.ToArbitrary(), c => RoundTrips(c.index, c.registers)));
    }

    private bool RoundTrips(int index, ushort[] registers)
    {
        var mapping = _layout.Tags[index];
        new ModbusTagCodec(mapping).Decode(registers, _writer);
        _writer.Commit();
        var snapshot = _reader.CreateSnapshot();
        Assert.True(_reader.TryReadSnapshot(snapshot));

        var image = new byte[mapping.Config.ByteLength];
        Assert.True(RawValueEncoder.TryEncode(snapshot, index, DeviceValueFormat.Of(mapping.Config, Protocol.Modbus), image), mapping.Config.Name);
        var expected = new byte[image.Length];
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(2 * i), registers[i]);
        }

        Assert.Equal(expected, image);
        return true;
    }

    /// <summary>Any bits for integers, real floats (NaN canonical) for floats, NUL-padded Latin-1 text for strings.</summary>
    private static Gen<ushort[]> Registers(ModbusTagCodec codec)
    {
        Gen<ushort[]> Encoded<T>(Gen<T> values, Action<T, ushort[]> encode) => values.Select(v =>
        {
            var registers = new ushort[codec.RegistersPerElement];
            encode(v, registers);
            return registers;
        });

        return codec.Type switch
        {
            ModbusValueType.Float32 => Encoded(Gen.OneOf(ArbMap.Default.GeneratorFor<float>(), Gen.Elements(float.NaN, float.NegativeInfinity, float.MaxValue, -0f)),
                (v, r) => ModbusRegisterCodec.WriteFloat32(v, r, codec.Order)),
            ModbusValueType.Float64 => Encoded(Gen.OneOf(ArbMap.Default.GeneratorFor<double>(), Gen.Elements(double.NaN, double.PositiveInfinity, double.MinValue, double.Epsilon)),
                (v, r) => ModbusRegisterCodec.WriteFloat64(v, r, codec.Order)),
            ModbusValueType.String => Encoded(
                Gen.Choose(0, Characters).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 0xFF).Select(c => (char)c), n)).Select(c => new string(c)),
                (text, r) => ModbusRegisterCodec.WriteString(text, r, codec.Order)),
            _ => Gen.ArrayOf(ArbMap.Default.GeneratorFor<ushort>(), codec.RegistersPerElement),
        };
    }
}
