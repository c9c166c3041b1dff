using BenchmarkDotNet.Attributes;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Bench.OpcUa.Micro;

/// <summary>
/// Decoding what a collector receives most: one DataValue (numeric and string), a Read response of 100 values into
/// a reused array, and a Publish response carrying 100 data changes. Allocations per operation are the point.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const int Values = 100;
    private static readonly DateTime At = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private readonly DataValue[] _results = new DataValue[Values];
    private byte[] _doubleValue = [];
    private byte[] _stringValue = [];
    private byte[] _doubleArray = [];
    private byte[] _readResponse = [];
    private byte[] _publishResponse = [];

    [GlobalSetup]
    public void Setup()
    {
        _doubleValue = Encode(w => VariantCodec.WriteDataValue(w, new DataValue(Variant.FromDouble(21.5), 0, At, At)));
        _stringValue = Encode(w => VariantCodec.WriteDataValue(w, new DataValue(Variant.FromString("Line 1 running"), 0, At, At)));
        _doubleArray = Encode(w => VariantCodec.Write(w, Variant.FromArray(BuiltInType.Double, Enumerable.Range(0, Values).Select(i => i * 0.5).ToArray())));
        _readResponse = Encode(w =>
        {
            ResponseHeader.Write(w, ServiceIds.ReadResponse, 1, StatusCodes.Good, At);
            w.WriteInt32(Values);
            for (var i = 0; i < Values; i++)
            {
                VariantCodec.WriteDataValue(w, new DataValue(Variant.FromDouble(i), 0, At, At));
            }

            w.WriteInt32(-1);
        });
        var changes = Enumerable.Range(0, Values).Select(i => new MonitoredItemNotification((uint)i, new DataValue(Variant.FromDouble(i), 0, At, At))).ToArray();
        var message = new NotificationMessage(7, At, [ExtensionObject.FromStructure(DataChangeNotification.BinaryEncodingId, new DataChangeNotification(changes, []))]);
        _publishResponse = Encode(w => PublishMessages.PublishResponseCodec.Encode(w, 1, new PublishMessages.PublishResponse(3, [7], false, message, [], []), At));
    }

    [Benchmark]
    public double DataValueDouble()
    {
        var reader = new UaReader(_doubleValue);
        return VariantCodec.ReadDataValue(ref reader).Value.AsDouble();
    }

    [Benchmark]
    public string? DataValueString()
    {
        var reader = new UaReader(_stringValue);
        return VariantCodec.ReadDataValue(ref reader).Value.AsString();
    }

    [Benchmark]
    public bool VariantDoubleArray100()
    {
        var reader = new UaReader(_doubleArray);
        return VariantCodec.Read(ref reader).IsArray;
    }

    [Benchmark]
    public uint ReadResponse100Doubles()
    {
        AttributeMessages.ReadRead(_readResponse, _results);
        return _results[^1].StatusCode;
    }

    [Benchmark]
    public int PublishResponse100DataChanges() =>
        ((DataChangeNotification)PublishMessages.PublishResponseCodec.Decode(_publishResponse).NotificationMessage.NotificationData[0].Structure!).MonitoredItems.Length;

    private static byte[] Encode(Action<UaWriter> write)
    {
        var writer = new UaWriter();
        write(writer);
        return writer.Written.ToArray();
    }
}
