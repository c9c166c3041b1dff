using System.Buffers.Binary;

namespace EdgePartition.S7.Wire;

/// <summary>Server side: parses the parameter block of a Read Var / Write Var job into item specifications.</summary>
internal static class S7JobReader
{
    /// <summary>The most items one job may name: 12 bytes each in a PDU of at most 960 bytes.</summary>
    public const int MaxItems = 80;

    /// <summary>
    /// Parses <c>function | count | count × item</c>. Returns the number of items written to <paramref name="items"/>
    /// or throws for malformed items. Syntax ids other than S7ANY make the item return 0x06 (reported as Count = -1).
    /// </summary>
    public static int ReadItems(ReadOnlySpan<byte> parameters, Span<S7ItemSpec> items)
    {
        if (parameters.Length < 2)
        {
            S7ProtocolException.ThrowMalformed("Read/Write Var parameters shorter than 2 bytes");
        }

        int count = parameters[1];
        if (count == 0 || count > items.Length || parameters.Length < 2 + (count * S7ItemSpec.WireLength))
        {
            S7ProtocolException.ThrowMalformed($"Read/Write Var names {count} items in {parameters.Length} parameter bytes");
        }

        for (int i = 0; i < count; i++)
        {
            var item = parameters.Slice(2 + (i * S7ItemSpec.WireLength), S7ItemSpec.WireLength);
            if (item[0] != 0x12 || item[1] != 0x0A)
            {
                S7ProtocolException.ThrowMalformed("variable specification is not 12 0A");
            }

            var area = (S7Area)item[8];
            int wireCount = BinaryPrimitives.ReadUInt16BigEndian(item[4..]);
            int db = BinaryPrimitives.ReadUInt16BigEndian(item[6..]);
            int address = (item[9] << 16) | (item[10] << 8) | item[11];
            byte transport = item[3];
            if (item[2] != 0x10 || !area.IsDefined())
            {
                items[i] = new S7ItemSpec(area, db, 0, -1);
                continue;
            }

            items[i] = transport switch
            {
                S7TransportSize.ItemBit => new S7ItemSpec(area, db, address >> 3, 1, address & 7),
                S7TransportSize.ItemCounter or S7TransportSize.ItemTimer => new S7ItemSpec(area, db, address, wireCount),
                _ when area.IsElementAddressed() => new S7ItemSpec(area, db, address, wireCount),
                _ => new S7ItemSpec(area, db, address >> 3, wireCount * ElementSize(transport)),
            };
        }

        return count;
    }

    /// <summary>Bytes per element of a request transport size (BYTE, CHAR, WORD, INT, DWORD, DINT, REAL).</summary>
    private static int ElementSize(byte transportSize) => transportSize switch
    {
        0x04 or 0x05 => 2,
        0x06 or 0x07 or 0x08 => 4,
        _ => 1,
    };
}
