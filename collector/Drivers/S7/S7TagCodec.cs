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
            case S7DataType.Time or S7DataType.LTime or S7DataType.TimeOfDay or S7DataType.S5Time:
                writer.SetDuration(tag.Index, e, S7ValueCodec.GetDurationNs(Type, src));
                break;
            case S7DataType.Date or S7DataType.DateAndTime or S7DataType.Dtl:
                writer.SetDateTime(tag.Index, e, S7ValueCodec.GetUnixNs(Type, src));
                break;
            case S7DataType.String or S7DataType.WString:
                DecodeText(src, writer, e);
                break;
            default:
                S7ValueCodec.TryGetNumber(Type, src, 0, out var number);
                SegmentValues.StageNumber(writer, tag, e, number);
                break;
        }
    }

    private void DecodeText(ReadOnlySpan<byte> src, SegmentWriter writer, int e)
    {
        char[]? rented = null;
        Span<char> text = StringLength <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(StringLength));
        try
        {
            writer.SetString(Tag.Index, e, text[..S7ValueCodec.GetText(Type, src, text)]);
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
            case S7DataType.Time or S7DataType.LTime or S7DataType.TimeOfDay or S7DataType.S5Time:
                S7ValueCodec.SetDurationNs(Type, dst, SegmentValues.ReadInt64(slot));
                return;
            case S7DataType.Date or S7DataType.DateAndTime or S7DataType.Dtl:
                S7ValueCodec.SetUnixNs(Type, dst, SegmentValues.ReadInt64(slot));
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
