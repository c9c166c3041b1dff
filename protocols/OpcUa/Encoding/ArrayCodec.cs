namespace EdgePartition.OpcUa.Encoding;

/// <summary>Decodes one value of <typeparamref name="T"/> (a structure field, an array element).</summary>
internal delegate T UaDecoder<out T>(ref UaReader reader);

/// <summary>Encodes one value of <typeparamref name="T"/>.</summary>
internal delegate void UaEncoder<in T>(UaWriter writer, T value);

/// <summary>
/// Arrays of Part 6 §5.2.5: an Int32 count (-1 = null) then the elements. Decoders check the count against the
/// bytes left (each element takes at least <c>minElementSize</c>) before allocating; null decodes as empty, and
/// encoders always write a count, so a decoded message re-encodes to the same bytes.
/// </summary>
internal static class ArrayCodec
{
    public static void Write<T>(UaWriter writer, IReadOnlyList<T> items, UaEncoder<T> encode)
    {
        writer.WriteInt32(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            encode(writer, items[i]);
        }
    }

    public static T[] Read<T>(ref UaReader reader, UaDecoder<T> decode, int minElementSize)
    {
        var count = reader.ReadCount(minElementSize);
        if (count <= 0)
        {
            return [];
        }

        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = decode(ref reader);
        }

        return items;
    }

    public static void WriteUInt32s(UaWriter writer, IReadOnlyList<uint> items)
    {
        writer.WriteInt32(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            writer.WriteUInt32(items[i]);
        }
    }

    public static uint[] ReadUInt32s(ref UaReader reader) => Read(ref reader, static (ref UaReader r) => r.ReadUInt32(), sizeof(uint));

    public static void WriteStrings(UaWriter writer, IReadOnlyList<string?> items) =>
        Write(writer, items, static (w, s) => w.WriteString(s));

    public static string?[] ReadStrings(ref UaReader reader) => Read(ref reader, static (ref UaReader r) => r.ReadString(), sizeof(int));

    public static void WriteByteStrings(UaWriter writer, IReadOnlyList<byte[]?> items) =>
        Write(writer, items, static (w, b) => w.WriteNullableByteString(b));

    public static byte[]?[] ReadByteStrings(ref UaReader reader) => Read(ref reader, static (ref UaReader r) => r.ReadByteString(), sizeof(int));
}
