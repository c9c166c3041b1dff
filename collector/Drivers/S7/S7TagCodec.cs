using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;
using EdgePartition.S7;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// Converts between an S7 tag's PLC bytes (big-endian, non-optimized DB layout) and its segment slot.
/// Decoding is allocation-free; encoding (write path) works in caller-provided buffers.
/// </summary>
internal sealed class S7TagCodec
{
    private static readonly DateOnly DateEpoch = new(1990, 1, 1);

    public S7TagCodec(TagMapping tag)
    {
        Tag = tag;
        Type = S7TypeMap.ToProtocol(tag.Config.DataType);
        StringLength = tag.Config.StringLength ?? S7DataTypes.DefaultStringLength;
        ElementSize = Type == S7DataType.Bool ? 1 : S7DataTypes.SizeOf(Type, StringLength);
        var address = tag.Config.S7Address ?? throw new InvalidOperationException($"tag '{tag.Config.Name}' has no S7 address");
        Area = address.Area;
        DbNumber = address.DbNumber;
        ByteOffset = address.Offset;
        Bit = address.Bit;
        Size = tag.Config.ByteLength;
    }

    public TagMapping Tag { get; }

    public S7DataType Type { get; }

    public int StringLength { get; }

    /// <summary>PLC bytes per element (BOOL: bits are packed, see <see cref="BitAddress"/>).</summary>
    public int ElementSize { get; }

    public S7Area Area { get; }

    public int DbNumber { get; }

    public int ByteOffset { get; }

    public int Bit { get; }

    /// <summary>PLC bytes the whole tag occupies.</summary>
    public int Size { get; }

    /// <summary>Byte and bit of BOOL element <paramref name="element"/> (arrays continue bit by bit).</summary>
    public (int Byte, int Bit) BitAddress(int element) => (ByteOffset + ((Bit + element) >> 3), (Bit + element) & 7);

    /// <summary>Stages the tag's value from its PLC bytes (<paramref name="plc"/> starts at <see cref="ByteOffset"/>).</summary>
    public void Decode(ReadOnlySpan<byte> plc, SegmentWriter writer)
    {
        var tag = Tag;
        if (tag.IsByteBlock)
        {
            writer.SetBytes(tag.Index, plc[..tag.MaxLength]);
            return;
        }

        for (var e = 0; e < tag.ArrayLength; e++)
        {
            if (Type == S7DataType.Bool)
            {
                var bit = Bit + e;
                writer.SetBool(tag.Index, e, (plc[bit >> 3] & (1 << (bit & 7))) != 0);
                continue;
            }

            DecodeElement(plc.Slice(e * ElementSize, ElementSize), writer, e);
        }
    }

    private void DecodeElement(ReadOnlySpan<byte> src, SegmentWriter writer, int e)
    {
        var tag = Tag;
        switch (Type)
        {
            case S7DataType.LInt when !tag.IsScaled:
                writer.SetInt64(tag.Index, e, BinaryPrimitives.ReadInt64BigEndian(src));
                break;
            case S7DataType.LWord or S7DataType.ULInt when !tag.IsScaled:
                writer.SetUInt64(tag.Index, e, BinaryPrimitives.ReadUInt64BigEndian(src));
                break;
            case S7DataType.Time:
                writer.SetDuration(tag.Index, e, BinaryPrimitives.ReadInt32BigEndian(src) * 1_000_000L);
                break;
            case S7DataType.LTime:
                writer.SetDuration(tag.Index, e, BinaryPrimitives.ReadInt64BigEndian(src));
                break;
            case S7DataType.TimeOfDay:
                writer.SetDuration(tag.Index, e, BinaryPrimitives.ReadUInt32BigEndian(src) * 1_000_000L);
                break;
            case S7DataType.S5Time:
                writer.SetDuration(tag.Index, e, S7ValueCodec.GetS5Time(src).Ticks * 100);
                break;
            case S7DataType.Date:
                writer.SetDateTime(tag.Index, e, UnixTime.ToNs(DateEpoch.AddDays(BinaryPrimitives.ReadUInt16BigEndian(src)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)));
                break;
            case S7DataType.DateAndTime:
                writer.SetDateTime(tag.Index, e, UnixTime.ToNs(DateTime.SpecifyKind(S7ValueCodec.GetDateAndTime(src), DateTimeKind.Utc)));
                break;
            case S7DataType.Dtl:
                writer.SetDateTime(tag.Index, e, UnixTime.ToNs(DateTime.SpecifyKind(S7ValueCodec.GetDtl(src), DateTimeKind.Utc)));
                break;
            case S7DataType.String:
                DecodeString(src, writer, e);
                break;
            case S7DataType.WString:
                DecodeWString(src, writer, e);
                break;
            default:
                SegmentValues.StageNumber(writer, tag, e, ReadNumber(src));
                break;
        }
    }

    private double ReadNumber(ReadOnlySpan<byte> src) => Type switch
    {
        S7DataType.Byte or S7DataType.USInt or S7DataType.Char => src[0],
        S7DataType.SInt => (sbyte)src[0],
        S7DataType.Int => BinaryPrimitives.ReadInt16BigEndian(src),
        S7DataType.Word or S7DataType.UInt or S7DataType.WChar => BinaryPrimitives.ReadUInt16BigEndian(src),
        S7DataType.DInt => BinaryPrimitives.ReadInt32BigEndian(src),
        S7DataType.DWord or S7DataType.UDInt => BinaryPrimitives.ReadUInt32BigEndian(src),
        S7DataType.LInt => BinaryPrimitives.ReadInt64BigEndian(src),
        S7DataType.LWord or S7DataType.ULInt => BinaryPrimitives.ReadUInt64BigEndian(src),
        S7DataType.Real => BinaryPrimitives.ReadSingleBigEndian(src),
        _ => BinaryPrimitives.ReadDoubleBigEndian(src),
    };

    private void DecodeString(ReadOnlySpan<byte> src, SegmentWriter writer, int e)
    {
        var length = Math.Min(Math.Min(src[1], src[0]), src.Length - 2);
        Span<char> text = stackalloc char[254];
        var chars = Encoding.Latin1.GetChars(src.Slice(2, length), text);
        writer.SetString(Tag.Index, e, text[..chars]);
    }

    private void DecodeWString(ReadOnlySpan<byte> src, SegmentWriter writer, int e)
    {
        var length = Math.Min(Math.Min(BinaryPrimitives.ReadUInt16BigEndian(src[2..]), BinaryPrimitives.ReadUInt16BigEndian(src)), (src.Length - 4) / 2);
        char[]? rented = null;
        Span<char> text = length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            for (var i = 0; i < length; i++)
            {
                text[i] = (char)BinaryPrimitives.ReadUInt16BigEndian(src[(4 + (2 * i))..]);
            }

            writer.SetString(Tag.Index, e, text[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Encodes written elements (segment encoding, see <see cref="WriteCommand"/>) as PLC bytes into
    /// <paramref name="plc"/>, which must hold count × <see cref="ElementSize"/> bytes. Strings: the UTF-8 text.
    /// </summary>
    /// <returns>The PLC bytes to write (strings: header and used characters only).</returns>
    public int Encode(ReadOnlySpan<byte> value, Span<byte> plc)
    {
        if (Type is S7DataType.String or S7DataType.WString)
        {
            var text = Encoding.UTF8.GetString(value);
            if (Type == S7DataType.String)
            {
                S7ValueCodec.SetString(plc, StringLength, text);
                return 2 + text.Length;
            }

            S7ValueCodec.SetWString(plc, StringLength, text);
            return 4 + (2 * text.Length);
        }

        var slotSize = SegmentValues.ElementSize(Tag.SegmentType);
        var count = value.Length / slotSize;
        for (var e = 0; e < count; e++)
        {
            EncodeElement(value.Slice(e * slotSize, slotSize), plc.Slice(e * ElementSize, ElementSize));
        }

        return count * ElementSize;
    }

    private void EncodeElement(ReadOnlySpan<byte> slot, Span<byte> dst)
    {
        switch (Type)
        {
            case S7DataType.LInt or S7DataType.LWord or S7DataType.ULInt when !Tag.IsScaled:
                BinaryPrimitives.WriteInt64BigEndian(dst, SegmentValues.ReadInt64(slot));
                return;
            case S7DataType.Time:
                BinaryPrimitives.WriteInt32BigEndian(dst, checked((int)(SegmentValues.ReadInt64(slot) / 1_000_000)));
                return;
            case S7DataType.LTime:
                BinaryPrimitives.WriteInt64BigEndian(dst, SegmentValues.ReadInt64(slot));
                return;
            case S7DataType.TimeOfDay:
                BinaryPrimitives.WriteUInt32BigEndian(dst, checked((uint)(SegmentValues.ReadInt64(slot) / 1_000_000)));
                return;
            case S7DataType.S5Time:
                S7ValueCodec.SetS5Time(dst, TimeSpan.FromTicks(SegmentValues.ReadInt64(slot) / 100));
                return;
            case S7DataType.Date:
                S7ValueCodec.SetDate(dst, DateOnly.FromDateTime(UnixTime.FromNs(SegmentValues.ReadInt64(slot))));
                return;
            case S7DataType.DateAndTime:
                S7ValueCodec.SetDateAndTime(dst, UnixTime.FromNs(SegmentValues.ReadInt64(slot)));
                return;
            case S7DataType.Dtl:
                S7ValueCodec.SetDtl(dst, UnixTime.FromNs(SegmentValues.ReadInt64(slot)));
                return;
        }

        var raw = SegmentValues.ToRaw(Tag, slot);
        switch (Type)
        {
            case S7DataType.Byte or S7DataType.USInt or S7DataType.Char: dst[0] = (byte)Math.Clamp(Math.Round(raw), 0, 255); break;
            case S7DataType.SInt: dst[0] = (byte)(sbyte)Math.Clamp(Math.Round(raw), -128, 127); break;
            case S7DataType.Int: BinaryPrimitives.WriteInt16BigEndian(dst, (short)Math.Clamp(Math.Round(raw), short.MinValue, short.MaxValue)); break;
            case S7DataType.Word or S7DataType.UInt or S7DataType.WChar: BinaryPrimitives.WriteUInt16BigEndian(dst, (ushort)Math.Clamp(Math.Round(raw), 0, ushort.MaxValue)); break;
            case S7DataType.DInt: BinaryPrimitives.WriteInt32BigEndian(dst, (int)Math.Clamp(Math.Round(raw), int.MinValue, int.MaxValue)); break;
            case S7DataType.DWord or S7DataType.UDInt: BinaryPrimitives.WriteUInt32BigEndian(dst, (uint)Math.Clamp(Math.Round(raw), 0, uint.MaxValue)); break;
            case S7DataType.LInt: BinaryPrimitives.WriteInt64BigEndian(dst, (long)Math.Round(raw)); break;
            case S7DataType.LWord or S7DataType.ULInt: BinaryPrimitives.WriteUInt64BigEndian(dst, (ulong)Math.Max(0, Math.Round(raw))); break;
            case S7DataType.Real: BinaryPrimitives.WriteSingleBigEndian(dst, (float)raw); break;
            default: BinaryPrimitives.WriteDoubleBigEndian(dst, raw); break;
        }
    }
}
