using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// Conversions between protocol numbers and segment slots shared by the drivers: staging a number with scaling and
/// deadband, and reading the elements of a write request (segment encoding, little-endian). Allocation-free.
/// </summary>
internal static class SegmentValues
{
    /// <summary>Bytes one element of a fixed-size segment type takes.</summary>
    public static int ElementSize(IpcDataType type) => type switch
    {
        IpcDataType.Bool or IpcDataType.Int8 or IpcDataType.UInt8 => 1,
        IpcDataType.Int16 or IpcDataType.UInt16 => 2,
        IpcDataType.Int32 or IpcDataType.UInt32 or IpcDataType.Float32 => 4,
        _ => 8,
    };

    /// <summary>
    /// Stages a numeric element given as a double (the raw device value): scaled tags get raw·Scale + ScaleOffset,
    /// others the raw value converted to the slot type. Within the tag's deadband of the staged good value, the
    /// staged value is kept so consumers see no change.
    /// </summary>
    public static void StageNumber(SegmentWriter writer, TagMapping tag, int element, double raw)
    {
        var config = tag.Config;
        var value = tag.IsScaled ? (raw * config.Scale) + config.ScaleOffset : raw;
        if (config.Deadband > 0 && IpcQuality.IsGood(writer.GetStagedQuality(tag.Index))
            && Math.Abs(value - ReadStagedNumber(writer, tag, element)) < config.Deadband)
        {
            return;
        }

        switch (tag.SegmentType)
        {
            case IpcDataType.Bool: writer.SetBool(tag.Index, element, value != 0); break;
            case IpcDataType.Int8: writer.SetInt8(tag.Index, element, (sbyte)Math.Clamp(Math.Round(value), sbyte.MinValue, sbyte.MaxValue)); break;
            case IpcDataType.UInt8: writer.SetUInt8(tag.Index, element, (byte)Math.Clamp(Math.Round(value), byte.MinValue, byte.MaxValue)); break;
            case IpcDataType.Int16: writer.SetInt16(tag.Index, element, (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue)); break;
            case IpcDataType.UInt16: writer.SetUInt16(tag.Index, element, (ushort)Math.Clamp(Math.Round(value), ushort.MinValue, ushort.MaxValue)); break;
            case IpcDataType.Int32: writer.SetInt32(tag.Index, element, (int)Math.Clamp(Math.Round(value), int.MinValue, int.MaxValue)); break;
            case IpcDataType.UInt32: writer.SetUInt32(tag.Index, element, (uint)Math.Clamp(Math.Round(value), uint.MinValue, uint.MaxValue)); break;
            case IpcDataType.Int64: writer.SetInt64(tag.Index, element, (long)Math.Round(value)); break;
            case IpcDataType.UInt64: writer.SetUInt64(tag.Index, element, (ulong)Math.Max(0, Math.Round(value))); break;
            case IpcDataType.Float32: writer.SetFloat32(tag.Index, element, (float)value); break;
            default: writer.SetFloat64(tag.Index, element, value); break;
        }
    }

    /// <summary>The staged value of a numeric element as a double (for deadband checks).</summary>
    public static double ReadStagedNumber(SegmentWriter writer, TagMapping tag, int element)
    {
        var slot = writer.Layout.Slot(tag.Index);
        var size = ElementSize(tag.SegmentType);
        return ReadNumber(tag.SegmentType, writer.StagedData.Slice(slot.ValueOffset + (element * size), size));
    }

    /// <summary>One element in the segment encoding as a double (64-bit integers lose precision beyond 2^53).</summary>
    public static double ReadNumber(IpcDataType type, ReadOnlySpan<byte> element) => SlotElement.ReadNumber(type, element);

    /// <summary>
    /// One written element as the raw device value: scaled tags undo the scaling ((v − offset) / scale), others
    /// pass through. Integer device types round this themselves.
    /// </summary>
    public static double ToRaw(TagMapping tag, ReadOnlySpan<byte> element)
    {
        var value = ReadNumber(tag.SegmentType, element);
        return tag.IsScaled ? (value - tag.Config.ScaleOffset) / tag.Config.Scale : value;
    }

    /// <summary>A written 64-bit integer element exactly (no double round trip), for unscaled Int64/UInt64 slots.</summary>
    public static long ReadInt64(ReadOnlySpan<byte> element) => SlotElement.ReadInteger(IpcDataType.Int64, element);
}
