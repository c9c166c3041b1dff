using System.Buffers.Binary;
using EdgePartition.Ipc;
using EdgePartition.Northbound.Publishing;

namespace EdgePartition.Northbound.Sparkplug;

/// <summary>
/// Encodes Sparkplug B payloads (Sparkplug 3.0 §6.4.1, proto2 field numbers) by hand into reusable buffers: no
/// generated classes, no per-message objects. The payload body is built first and <c>seq</c> (field 3) appended
/// last, always written even when 0 (proto3 generators drop it, and hosts then reject the NBIRTH: tahu#260); a
/// protobuf reader accepts fields in any order, so a stored body can be replayed later with a fresh seq.
/// </summary>
internal sealed class PayloadEncoder
{
    // Payload fields.
    private const int PayloadTimestamp = 1;
    private const int PayloadMetrics = 2;
    private const int PayloadSeq = 3;

    // Metric fields.
    private const int MetricName = 1;
    private const int MetricAlias = 2;
    private const int MetricTimestamp = 3;
    private const int MetricDatatype = 4;
    private const int MetricIsHistorical = 5;
    private const int MetricIsNull = 7;
    private const int MetricProperties = 9;
    private const int IntValue = 10;
    private const int LongValue = 11;
    private const int FloatValue = 12;
    private const int DoubleValue = 13;
    private const int BooleanValue = 14;
    private const int StringValue = 15;
    private const int BytesValue = 16;

    private readonly ProtoWriter _payload = new(4096);
    private readonly ProtoWriter _metric = new(512);
    private readonly ProtoWriter _properties = new(64);
    private int _metricCount;

    /// <summary>The body so far (without seq).</summary>
    public ReadOnlySpan<byte> Body => _payload.Written;

    public int MetricCount => _metricCount;

    public void Begin(long timestampMs)
    {
        _payload.Clear();
        _metricCount = 0;
        _payload.WriteUInt64Field(PayloadTimestamp, (ulong)timestampMs);
    }

    /// <summary>Starts from a stored body (replay): the metrics are kept as they were encoded.</summary>
    public void BeginFrom(ReadOnlySpan<byte> body)
    {
        _payload.Clear();
        _metricCount = 0;
        _payload.WriteRaw(body);
    }

    /// <summary>Appends seq and returns the finished payload; valid until the next Begin.</summary>
    public ReadOnlyMemory<byte> Finish(ulong? seq)
    {
        if (seq is { } value)
        {
            _payload.WriteUInt64Field(PayloadSeq, value);
        }

        return _payload.WrittenMemory;
    }

    /// <summary>The bdSeq metric (Int64, §4.2.1.1) of NBIRTH and NDEATH.</summary>
    public void AddBdSeq(ulong bdSeq, long timestampMs)
    {
        _metric.Clear();
        _metric.WriteStringField(MetricName, "bdSeq");
        _metric.WriteUInt64Field(MetricTimestamp, (ulong)timestampMs);
        _metric.WriteUInt64Field(MetricDatatype, (uint)SparkplugDataType.Int64);
        _metric.WriteUInt64Field(LongValue, bdSeq);
        CloseMetric();
    }

    /// <summary>A Boolean node metric by name (Node Control/Rebirth: never aliased, §5.17).</summary>
    public void AddBoolean(string name, bool value, long timestampMs)
    {
        _metric.Clear();
        _metric.WriteStringField(MetricName, name);
        _metric.WriteUInt64Field(MetricTimestamp, (ulong)timestampMs);
        _metric.WriteUInt64Field(MetricDatatype, (uint)SparkplugDataType.Boolean);
        _metric.WriteBoolField(BooleanValue, value);
        CloseMetric();
    }

    /// <summary>
    /// One tag's metric from a committed snapshot's data area. Births carry name, alias, datatype and Quality;
    /// DATA carries the alias only, and Quality when the value is not good or its quality changed.
    /// </summary>
    public void AddTag(MetricInfo metric, ReadOnlySpan<byte> data, bool birth, bool historical, bool withQuality, long fallbackTimestampMs)
    {
        var slot = metric.Slot;
        var quality = SlotElement.Quality(data, slot);
        var sourceNs = SlotElement.SourceTimestampNs(data, slot);
        var timestampMs = sourceNs > 0 ? sourceNs / 1_000_000 : fallbackTimestampMs;
        _metric.Clear();
        if (birth)
        {
            _metric.WriteStringField(MetricName, metric.Name);
        }

        _metric.WriteUInt64Field(MetricAlias, metric.Alias);
        _metric.WriteUInt64Field(MetricTimestamp, (ulong)timestampMs);
        if (birth)
        {
            _metric.WriteUInt64Field(MetricDatatype, (uint)metric.DataType);
        }

        if (historical)
        {
            _metric.WriteBoolField(MetricIsHistorical, true);
        }

        if (birth || withQuality)
        {
            WriteQuality(SparkplugTypes.Quality(quality));
        }

        if (quality == IpcQuality.BadWaitingForInitialData)
        {
            // Never read: no current value (§5.16 "is_null=true and no value").
            _metric.WriteBoolField(MetricIsNull, true);
        }
        else
        {
            WriteValue(metric, data.Slice(slot.ValueOffset, slot.ValueSize));
        }

        CloseMetric();
    }

    private void CloseMetric()
    {
        _payload.WriteMessage(PayloadMetrics, _metric);
        _metricCount++;
    }

    /// <summary>PropertySet { keys: ["Quality"], values: [PropertyValue { type: Int32, int_value: q }] } (§6.4.9.1).</summary>
    private void WriteQuality(int quality)
    {
        _properties.Clear();
        _properties.WriteStringField(1, "Quality");
        _properties.WriteTag(2, WireType.LengthDelimited);
        var valueLength = 2 + 1 + VarintLength((uint)quality);
        _properties.WriteVarint((ulong)valueLength);
        _properties.WriteUInt64Field(1, (uint)SparkplugDataType.Int32);
        _properties.WriteUInt64Field(3, (uint)quality);
        _metric.WriteMessage(MetricProperties, _properties);
    }

    private static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private void WriteValue(MetricInfo metric, ReadOnlySpan<byte> value)
    {
        var tag = metric.Tag;
        if (tag.ArrayLength > 1)
        {
            WriteArray(metric, value);
            return;
        }

        switch (tag.DataType)
        {
            case IpcDataType.Bool:
                _metric.WriteBoolField(BooleanValue, value[0] != 0);
                break;
            // Signed types travel as two's complement in the uint32, sign-extended to 32 bits (as Tahu does).
            case IpcDataType.Int8:
                _metric.WriteUInt64Field(IntValue, (uint)(int)(sbyte)value[0]);
                break;
            case IpcDataType.UInt8:
                _metric.WriteUInt64Field(IntValue, value[0]);
                break;
            case IpcDataType.Int16:
                _metric.WriteUInt64Field(IntValue, (uint)(int)BinaryPrimitives.ReadInt16LittleEndian(value));
                break;
            case IpcDataType.UInt16:
                _metric.WriteUInt64Field(IntValue, BinaryPrimitives.ReadUInt16LittleEndian(value));
                break;
            case IpcDataType.Int32:
                _metric.WriteUInt64Field(IntValue, (uint)BinaryPrimitives.ReadInt32LittleEndian(value));
                break;
            case IpcDataType.UInt32:
                _metric.WriteUInt64Field(IntValue, BinaryPrimitives.ReadUInt32LittleEndian(value));
                break;
            case IpcDataType.Int64:
            case IpcDataType.Duration:
                _metric.WriteUInt64Field(LongValue, (ulong)BinaryPrimitives.ReadInt64LittleEndian(value));
                break;
            case IpcDataType.UInt64:
                _metric.WriteUInt64Field(LongValue, BinaryPrimitives.ReadUInt64LittleEndian(value));
                break;
            case IpcDataType.DateTime:
                _metric.WriteUInt64Field(LongValue, (ulong)(BinaryPrimitives.ReadInt64LittleEndian(value) / 1_000_000));
                break;
            case IpcDataType.Float32:
                _metric.WriteFloatField(FloatValue, BinaryPrimitives.ReadSingleLittleEndian(value));
                break;
            case IpcDataType.Float64:
                _metric.WriteDoubleField(DoubleValue, BinaryPrimitives.ReadDoubleLittleEndian(value));
                break;
            case IpcDataType.String:
                _metric.WriteBytesField(StringValue, SlotElement.ReadVariable(value, tag.MaxLength));
                break;
            case IpcDataType.Bytes:
                _metric.WriteBytesField(BytesValue, SlotElement.ReadVariable(value, tag.MaxLength));
                break;
            default:
                _metric.WriteBoolField(MetricIsNull, true);
                break;
        }
    }

    /// <summary>Arrays go in bytes_value, little-endian (§6.4.17; Tahu's byte order, not the spec's examples).</summary>
    private void WriteArray(MetricInfo metric, ReadOnlySpan<byte> value)
    {
        var tag = metric.Tag;
        var slot = metric.Slot;
        switch (tag.DataType)
        {
            case IpcDataType.Bool:
                {
                    // uint32 LE count, then the bits, element 0 in the most significant bit (spec example, Tahu Java).
                    var bytes = 4 + ((tag.ArrayLength + 7) / 8);
                    _metric.WriteTag(BytesValue, WireType.LengthDelimited);
                    _metric.WriteVarint((ulong)bytes);
                    var target = _metric.Reserve(bytes);
                    target.Clear();
                    BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)tag.ArrayLength);
                    for (var i = 0; i < tag.ArrayLength; i++)
                    {
                        if (value[i] != 0)
                        {
                            target[4 + (i / 8)] |= (byte)(0x80 >> (i % 8));
                        }
                    }

                    break;
                }

            case IpcDataType.String:
                {
                    var total = 0;
                    for (var i = 0; i < tag.ArrayLength; i++)
                    {
                        total += SlotElement.ReadVariable(value.Slice(i * slot.ElementSize, slot.ElementSize), tag.MaxLength).Length + 1;
                    }

                    _metric.WriteTag(BytesValue, WireType.LengthDelimited);
                    _metric.WriteVarint((ulong)total);
                    for (var i = 0; i < tag.ArrayLength; i++)
                    {
                        _metric.WriteRaw(SlotElement.ReadVariable(value.Slice(i * slot.ElementSize, slot.ElementSize), tag.MaxLength));
                        _metric.WriteRaw([0]);
                    }

                    break;
                }

            case IpcDataType.DateTime:
                {
                    _metric.WriteTag(BytesValue, WireType.LengthDelimited);
                    _metric.WriteVarint((ulong)(8 * tag.ArrayLength));
                    var target = _metric.Reserve(8 * tag.ArrayLength);
                    for (var i = 0; i < tag.ArrayLength; i++)
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(target[(8 * i)..], BinaryPrimitives.ReadInt64LittleEndian(value[(8 * i)..]) / 1_000_000);
                    }

                    break;
                }

            default:
                // Numeric elements are stored little-endian at their natural size: the packed form as it is.
                _metric.WriteBytesField(BytesValue, value);
                break;
        }
    }
}
