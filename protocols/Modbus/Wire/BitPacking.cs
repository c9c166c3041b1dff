namespace EdgePartition.Modbus.Wire;

/// <summary>Coil and discrete-input bits travel LSB-first, eight to a byte (Application Protocol §6.1).</summary>
internal static class BitPacking
{
    public static int ByteCount(int bits) => (bits + 7) >> 3;

    public static void Pack(ReadOnlySpan<bool> bits, Span<byte> destination)
    {
        destination[..ByteCount(bits.Length)].Clear();
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                destination[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
    }

    public static void Unpack(ReadOnlySpan<byte> packed, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (packed[i >> 3] & (1 << (i & 7))) != 0;
        }
    }

    /// <summary>Unpacks into 0/1 registers, the representation of bits in a read-plan buffer.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<ushort> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (ushort)((packed[i >> 3] >> (i & 7)) & 1);
        }
    }
}
