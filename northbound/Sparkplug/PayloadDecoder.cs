using System.Buffers.Binary;
using System.Text;

namespace EdgePartition.Northbound.Sparkplug;

/// <summary>A metric of an NCMD/DCMD as received: name or alias, datatype and one value (§6.4.6).</summary>
internal sealed class CommandMetric
{
    public string? Name { get; set; }

    public ulong? Alias { get; set; }

    public uint? DataType { get; set; }

    public bool IsNull { get; set; }

    /// <summary>Field number of the value (10 int, 11 long, 12 float, 13 double, 14 bool, 15 string, 16 bytes); 0: none.</summary>
    public int ValueField { get; set; }

    public ulong IntegerValue { get; set; }

    public double FloatingValue { get; set; }

    public byte[]? BytesValue { get; set; }

    public bool BooleanValue => IntegerValue != 0;

    public string StringValue => BytesValue is null ? "" : Encoding.UTF8.GetString(BytesValue);
}

/// <summary>Why a command payload was refused; counted per reason.</summary>
internal enum CommandRefusal
{
    Malformed,
    TooLarge,
    TooManyMetrics,
    UnknownMetric,
    WrongDatatype,
    NotWritable,
    NotAllowed,
    DeviceOffline,
    QueueFull,
}

/// <summary>Thrown by <see cref="PayloadDecoder"/> for input it cannot accept.</summary>
internal sealed class CommandDecodeException(CommandRefusal reason, string message) : Exception(message)
{
    public CommandRefusal Reason { get; } = reason;
}

/// <summary>
/// Decodes NCMD/DCMD payloads (Sparkplug §6.4.1 Payload and Metric), strictly bounded: payload size, metric count,
/// string lengths, and every declared length checked against what is left before it is used. Unknown fields are
/// skipped by wire type; anything inconsistent throws <see cref="CommandDecodeException"/>.
/// </summary>
internal static class PayloadDecoder
{
    public const int MaxPayloadBytes = 256 * 1024;
    public const int MaxMetrics = 1024;

    public static List<CommandMetric> Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new CommandDecodeException(CommandRefusal.TooLarge, $"command payload of {payload.Length} bytes is larger than {MaxPayloadBytes}");
        }

        var metrics = new List<CommandMetric>();
        var position = 0;
        while (position < payload.Length)
        {
            var (field, wire) = ReadTag(payload, ref position);
            if (field == 2 && wire == 2)
            {
                var length = ReadLength(payload, ref position);
                if (metrics.Count >= MaxMetrics)
                {
                    throw new CommandDecodeException(CommandRefusal.TooManyMetrics, $"more than {MaxMetrics} metrics in one command");
                }

                metrics.Add(DecodeMetric(payload.Slice(position, length)));
                position += length;
            }
            else
            {
                Skip(payload, ref position, wire);
            }
        }

        return metrics;
    }

    private static CommandMetric DecodeMetric(ReadOnlySpan<byte> metric)
    {
        var result = new CommandMetric();
        var position = 0;
        while (position < metric.Length)
        {
            var (field, wire) = ReadTag(metric, ref position);
            switch (field, wire)
            {
                case (1, 2):
                    {
                        var length = ReadLength(metric, ref position);
                        result.Name = Encoding.UTF8.GetString(metric.Slice(position, length));
                        position += length;
                        break;
                    }

                case (2, 0):
                    result.Alias = ReadVarint(metric, ref position);
                    break;
                case (4, 0):
                    result.DataType = (uint)ReadVarint(metric, ref position);
                    break;
                case (7, 0):
                    result.IsNull = ReadVarint(metric, ref position) != 0;
                    break;
                case (10, 0) or (11, 0) or (14, 0):
                    result.ValueField = field;
                    result.IntegerValue = ReadVarint(metric, ref position);
                    break;
                case (12, 5):
                    Need(metric, position, 4);
                    result.ValueField = field;
                    result.FloatingValue = BinaryPrimitives.ReadSingleLittleEndian(metric[position..]);
                    position += 4;
                    break;
                case (13, 1):
                    Need(metric, position, 8);
                    result.ValueField = field;
                    result.FloatingValue = BinaryPrimitives.ReadDoubleLittleEndian(metric[position..]);
                    position += 8;
                    break;
                case (15, 2) or (16, 2):
                    {
                        var length = ReadLength(metric, ref position);
                        result.ValueField = field;
                        result.BytesValue = metric.Slice(position, length).ToArray();
                        position += length;
                        break;
                    }

                default:
                    Skip(metric, ref position, wire);
                    break;
            }
        }

        return result;
    }

    private static (int Field, int Wire) ReadTag(ReadOnlySpan<byte> data, ref int position)
    {
        var tag = ReadVarint(data, ref position);
        var field = tag >> 3;
        if (field == 0 || field > 536_870_911)
        {
            throw Malformed("field number 0 or out of range");
        }

        return ((int)field, (int)(tag & 7));
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Malformed("varint cut off");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Malformed("varint longer than 10 bytes");
    }

    private static int ReadLength(ReadOnlySpan<byte> data, ref int position)
    {
        var length = ReadVarint(data, ref position);
        if (length > (ulong)(data.Length - position))
        {
            throw Malformed($"declared length {length} exceeds the {data.Length - position} bytes left");
        }

        return (int)length;
    }

    private static void Need(ReadOnlySpan<byte> data, int position, int count)
    {
        if (data.Length - position < count)
        {
            throw Malformed("fixed-size value cut off");
        }
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int position, int wire)
    {
        switch (wire)
        {
            case 0:
                ReadVarint(data, ref position);
                break;
            case 1:
                Need(data, position, 8);
                position += 8;
                break;
            case 2:
                position += ReadLength(data, ref position);
                break;
            case 5:
                Need(data, position, 4);
                position += 4;
                break;
            default:
                throw Malformed($"unsupported wire type {wire}");
        }
    }

    private static CommandDecodeException Malformed(string what) => new(CommandRefusal.Malformed, $"malformed command payload: {what}");
}
