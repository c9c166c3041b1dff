using System.Buffers.Binary;
using System.Text;
using EdgePartition.Collector.Layout;
using EdgePartition.Config.Layout;
using EdgePartition.Ipc;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// One OPC UA tag: its node (a NodeId, or a browse path resolved after connecting), and the conversion of a read
/// DataValue into its segment slot and of a write request into a Variant of the configured built-in type.
/// Staging is allocation-free; numbers of any numeric type are accepted and converted to the slot type.
/// </summary>
internal sealed class OpcUaTagCodec
{
    public OpcUaTagCodec(TagMapping tag)
    {
        Tag = tag;
        Type = OpcUaTypeNames.Parse(tag.Config);
        var address = tag.Config.OpcUaAddress ?? throw new InvalidOperationException($"tag '{tag.Config.Name}' has no OPC UA address");
        if (address.IsBrowsePath)
        {
            BrowsePath = address.BrowsePath;
            Node = NodeId.Null;
            ResolveStatus = IpcQuality.BadWaitingForInitialData;
        }
        else
        {
            Node = address.Node;
        }
    }

    public TagMapping Tag { get; }

    public BuiltInType Type { get; }

    /// <summary>The browse path from the Objects folder, or null for a NodeId address.</summary>
    public IReadOnlyList<QualifiedName>? BrowsePath { get; }

    /// <summary>The node read and written (for a browse path: the last resolved target, Null until resolved).</summary>
    public NodeId Node { get; private set; }

    /// <summary>Good, or why the browse path could not be resolved (the tag then stages this as its quality).</summary>
    public uint ResolveStatus { get; private set; }

    public void Resolved(uint status, NodeId? target)
    {
        ResolveStatus = target is null ? (StatusCodes.IsBad(status) ? status : StatusCodes.BadNodeIdUnknown) : StatusCodes.Good;
        Node = target ?? NodeId.Null;
    }

    /// <summary>Stages a read result; returns the tag's quality (its own bad quality when the value cannot be used).</summary>
    public uint Stage(in DataValue value, SegmentWriter writer)
    {
        if (StatusCodes.IsBad(ResolveStatus))
        {
            return ResolveStatus;
        }

        if (StatusCodes.IsBad(value.StatusCode))
        {
            return value.StatusCode;
        }

        var variant = value.Value;
        if (variant.IsNull)
        {
            return IpcQuality.BadWaitingForInitialData;
        }

        var tag = Tag;
        if (tag.IsByteBlock)
        {
            if (variant.Reference is not byte[] bytes || variant.IsArray)
            {
                return IpcQuality.BadTypeMismatch;
            }

            if (bytes.Length > tag.MaxLength)
            {
                return IpcQuality.BadOutOfRange;
            }

            writer.SetBytes(tag.Index, bytes);
            return value.StatusCode;
        }

        if (variant.IsArray)
        {
            var array = (Array)variant.Reference!;
            if (array.Length < tag.ArrayLength)
            {
                return IpcQuality.BadOutOfRange;
            }

            for (var e = 0; e < tag.ArrayLength; e++)
            {
                if (!StageElement(writer, e, array, e, variant))
                {
                    return IpcQuality.BadTypeMismatch;
                }
            }

            return value.StatusCode;
        }

        return tag.ArrayLength == 1 && StageElement(writer, 0, null, 0, variant) ? value.StatusCode : IpcQuality.BadTypeMismatch;
    }

    private bool StageElement(SegmentWriter writer, int element, Array? array, int index, in Variant scalar)
    {
        var tag = Tag;
        switch (tag.SegmentType)
        {
            case IpcDataType.String:
                switch (array)
                {
                    case string?[] texts:
                        writer.SetString(tag.Index, element, texts[index]);
                        return true;
                    case Guid[] guids:
                        SetGuid(writer, element, guids[index]);
                        return true;
                    case null when scalar.Type == BuiltInType.String:
                        writer.SetString(tag.Index, element, scalar.AsString());
                        return true;
                    case null when scalar.Type == BuiltInType.Guid:
                        SetGuid(writer, element, (Guid)scalar.Reference!);
                        return true;
                    default:
                        return false;
                }

            case IpcDataType.DateTime:
                if (array is DateTime[] times)
                {
                    writer.SetDateTime(tag.Index, element, UnixTime.ToNs(times[index]));
                    return true;
                }

                if (array is null && scalar.Type == BuiltInType.DateTime)
                {
                    writer.SetDateTime(tag.Index, element, UnixTime.ToNs(scalar.AsDateTime()));
                    return true;
                }

                return false;
            case IpcDataType.Int64 when !tag.IsScaled:
                if (!TryGetInteger(array, index, scalar, out var signed))
                {
                    return false;
                }

                writer.SetInt64(tag.Index, element, signed);
                return true;
            case IpcDataType.UInt64 when !tag.IsScaled:
                if (!TryGetInteger(array, index, scalar, out var unsigned))
                {
                    return false;
                }

                writer.SetUInt64(tag.Index, element, (ulong)unsigned);
                return true;
            default:
                if (!TryGetNumber(array, index, scalar, out var number))
                {
                    return false;
                }

                SegmentValues.StageNumber(writer, tag, element, number);
                return true;
        }
    }

    private void SetGuid(SegmentWriter writer, int element, Guid value)
    {
        Span<char> chars = stackalloc char[36];
        value.TryFormat(chars, out var written);
        writer.SetString(Tag.Index, element, chars[..written]);
    }

    private static bool TryGetNumber(Array? array, int i, in Variant scalar, out double number)
    {
        if (array is null)
        {
            number = scalar.ToDouble();
            return IsNumeric(scalar.Type);
        }

        switch (array)
        {
            case bool[] a: number = a[i] ? 1 : 0; return true;
            case sbyte[] a: number = a[i]; return true;
            case byte[] a: number = a[i]; return true;
            case short[] a: number = a[i]; return true;
            case ushort[] a: number = a[i]; return true;
            case int[] a: number = a[i]; return true;
            case uint[] a: number = a[i]; return true;
            case long[] a: number = a[i]; return true;
            case ulong[] a: number = a[i]; return true;
            case float[] a: number = a[i]; return true;
            case double[] a: number = a[i]; return true;
            default: number = 0; return false;
        }
    }

    private static bool TryGetInteger(Array? array, int i, in Variant scalar, out long value)
    {
        switch (array)
        {
            case null when scalar.Type is BuiltInType.Int64 or BuiltInType.UInt64:
                value = (long)scalar.Bits;
                return true;
            case long[] a: value = a[i]; return true;
            case ulong[] a: value = (long)a[i]; return true;
        }

        var ok = TryGetNumber(array, i, scalar, out var number);
        value = (long)number;
        return ok;
    }

    private static bool IsNumeric(BuiltInType type) =>
        type is >= BuiltInType.Boolean and <= BuiltInType.Double or BuiltInType.StatusCode;

    /// <summary>
    /// The Variant to write for <paramref name="command"/> (segment encoding, see <see cref="WriteCommand"/>) and the
    /// index range for a partial array write (null: the whole value).
    /// </summary>
    public (Variant Value, string? IndexRange) ToVariant(WriteCommand command)
    {
        var tag = Tag;
        var span = command.Value.Span;
        switch (tag.SegmentType)
        {
            case IpcDataType.Bytes:
                if (command.ByteOffset != 0)
                {
                    throw new ArgumentException("a ByteString is written whole (byte offset must be 0)");
                }

                return (Variant.FromByteString(span.ToArray()), null);
            case IpcDataType.String when Type == BuiltInType.Guid:
                return (Variant.FromReference(BuiltInType.Guid, Guid.Parse(Encoding.UTF8.GetString(span))), null);
            case IpcDataType.String:
                return (Variant.FromString(Encoding.UTF8.GetString(span)), null);
        }

        var slotSize = SegmentValues.ElementSize(tag.SegmentType);
        var first = command.FirstElement(slotSize);
        var count = span.Length / slotSize;
        if (tag.ArrayLength == 1)
        {
            return (Element(span[..slotSize]), null);
        }

        var array = Array.CreateInstance(ElementType(Type), count);
        for (var e = 0; e < count; e++)
        {
            array.SetValue(ElementObject(span.Slice(e * slotSize, slotSize)), e);
        }

        var whole = first == 0 && count == tag.ArrayLength;
        var range = whole ? null : count == 1 ? $"{first}" : $"{first}:{first + count - 1}";
        return (Variant.FromArray(Type, array), range);
    }

    private Variant Element(ReadOnlySpan<byte> slot)
    {
        if (Tag.SegmentType == IpcDataType.DateTime)
        {
            return Variant.FromDateTime(UnixTime.FromNs(BinaryPrimitives.ReadInt64LittleEndian(slot)));
        }

        if (!Tag.IsScaled && Type is BuiltInType.Int64 or BuiltInType.UInt64)
        {
            var exact = SegmentValues.ReadInt64(slot);
            return Type == BuiltInType.Int64 ? Variant.FromInt64(exact) : Variant.FromUInt64((ulong)exact);
        }

        var raw = SegmentValues.ToRaw(Tag, slot);
        return Type switch
        {
            BuiltInType.Boolean => Variant.FromBoolean(raw != 0),
            BuiltInType.SByte => Variant.FromSByte(checked((sbyte)Math.Round(raw))),
            BuiltInType.Byte => Variant.FromByte(checked((byte)Math.Round(raw))),
            BuiltInType.Int16 => Variant.FromInt16(checked((short)Math.Round(raw))),
            BuiltInType.UInt16 => Variant.FromUInt16(checked((ushort)Math.Round(raw))),
            BuiltInType.Int32 => Variant.FromInt32(checked((int)Math.Round(raw))),
            BuiltInType.UInt32 => Variant.FromUInt32(checked((uint)Math.Round(raw))),
            BuiltInType.StatusCode => Variant.FromStatusCode(checked((uint)Math.Round(raw))),
            BuiltInType.Int64 => Variant.FromInt64(checked((long)Math.Round(raw))),
            BuiltInType.UInt64 => Variant.FromUInt64(checked((ulong)Math.Round(raw))),
            BuiltInType.Float => Variant.FromFloat((float)raw),
            _ => Variant.FromDouble(raw),
        };
    }

    /// <summary>One array element as the boxed .NET value for its typed array (write path only).</summary>
    private object ElementObject(ReadOnlySpan<byte> slot)
    {
        var element = Element(slot);
        return Type switch
        {
            BuiltInType.Boolean => element.AsBoolean(),
            BuiltInType.SByte => (sbyte)element.AsInt64(),
            BuiltInType.Byte => (byte)element.AsUInt64(),
            BuiltInType.Int16 => (short)element.AsInt64(),
            BuiltInType.UInt16 => (ushort)element.AsUInt64(),
            BuiltInType.Int32 => (int)element.AsInt64(),
            BuiltInType.UInt32 or BuiltInType.StatusCode => (uint)element.AsUInt64(),
            BuiltInType.Int64 => element.AsInt64(),
            BuiltInType.UInt64 => element.AsUInt64(),
            BuiltInType.Float => element.AsFloat(),
            BuiltInType.DateTime => element.AsDateTime(),
            _ => element.AsDouble(),
        };
    }

    private static Type ElementType(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => typeof(bool),
        BuiltInType.SByte => typeof(sbyte),
        BuiltInType.Byte => typeof(byte),
        BuiltInType.Int16 => typeof(short),
        BuiltInType.UInt16 => typeof(ushort),
        BuiltInType.Int32 => typeof(int),
        BuiltInType.UInt32 or BuiltInType.StatusCode => typeof(uint),
        BuiltInType.Int64 => typeof(long),
        BuiltInType.UInt64 => typeof(ulong),
        BuiltInType.Float => typeof(float),
        BuiltInType.DateTime => typeof(DateTime),
        _ => typeof(double),
    };
}
