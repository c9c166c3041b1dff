using System.Buffers.Binary;

namespace EdgePartition.Modbus.Data;

/// <summary>
/// Converts typed values to and from registers in any <see cref="ModbusByteOrder"/>, without allocating (strings
/// excepted, when asked for). Values are gathered into big-endian bytes first, so one rule serves every width.
/// </summary>
public static class ModbusRegisterCodec
{
    public static ushort ReadUInt16(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(registers[0]) : registers[0];

    public static short ReadInt16(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        (short)ReadUInt16(registers, order);

    public static uint ReadUInt32(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD)
    {
        Span<byte> bytes = stackalloc byte[4];
        Gather(registers, 2, order, bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static int ReadInt32(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        (int)ReadUInt32(registers, order);

    public static float ReadFloat32(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        BitConverter.UInt32BitsToSingle(ReadUInt32(registers, order));

    public static ulong ReadUInt64(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD)
    {
        Span<byte> bytes = stackalloc byte[8];
        Gather(registers, 4, order, bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    public static long ReadInt64(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        (long)ReadUInt64(registers, order);

    public static double ReadFloat64(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        BitConverter.UInt64BitsToDouble(ReadUInt64(registers, order));

    /// <summary>Bit <paramref name="bit"/> (0 = least significant) of a register, for bit-in-register tags.</summary>
    public static bool ReadBit(ushort register, int bit) => ((register >> bit) & 1) != 0;

    /// <summary>
    /// Any numeric type as a double (64-bit integers beyond 2^53 lose precision), with scaling applied. A bit reads as
    /// 0 or 1 (any nonzero register is 1).
    /// </summary>
    public static double ReadNumber(ModbusValueType type, ReadOnlySpan<ushort> registers, ModbusByteOrder order, ModbusScaling scaling)
    {
        double raw = type switch
        {
            ModbusValueType.Bit => registers[0] != 0 ? 1 : 0,
            ModbusValueType.Int16 => ReadInt16(registers, order),
            ModbusValueType.UInt16 => ReadUInt16(registers, order),
            ModbusValueType.Int32 => ReadInt32(registers, order),
            ModbusValueType.UInt32 => ReadUInt32(registers, order),
            ModbusValueType.Int64 => ReadInt64(registers, order),
            ModbusValueType.UInt64 => ReadUInt64(registers, order),
            ModbusValueType.Float32 => ReadFloat32(registers, order),
            ModbusValueType.Float64 => ReadFloat64(registers, order),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a numeric type"),
        };
        return scaling.IsIdentity ? raw : scaling.ToEngineering(raw);
    }

    /// <summary>
    /// An array tag: element i of <paramref name="type"/> starts at register i·ModbusValueTypes.RegisterCount(type). Fills
    /// <paramref name="destination"/> (its length is the element count) with scaled values.
    /// </summary>
    public static void ReadNumbers(ModbusValueType type, ReadOnlySpan<ushort> registers, ModbusByteOrder order, ModbusScaling scaling, Span<double> destination)
    {
        var width = ModbusValueTypes.RegisterCount(type);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = ReadNumber(type, registers.Slice(i * width, width), order, scaling);
        }
    }

    /// <summary>Writes an array tag: the inverse of <see cref="ReadNumbers"/>.</summary>
    public static void WriteNumbers(ModbusValueType type, ReadOnlySpan<double> values, Span<ushort> destination, ModbusByteOrder order, ModbusScaling scaling)
    {
        var width = ModbusValueTypes.RegisterCount(type);
        for (var i = 0; i < values.Length; i++)
        {
            WriteNumber(type, values[i], destination.Slice(i * width, width), order, scaling);
        }
    }

    /// <summary>
    /// Copies a string's bytes into <paramref name="destination"/> up to the first NUL; returns the byte count.
    /// BADC and DCBA put the second character of each register first.
    /// </summary>
    public static int ReadStringBytes(ReadOnlySpan<ushort> registers, ModbusByteOrder order, Span<byte> destination)
    {
        var swap = SwapsBytes(order);
        var count = 0;
        for (var i = 0; i < registers.Length && count < destination.Length; i++)
        {
            var register = swap ? BinaryPrimitives.ReverseEndianness(registers[i]) : registers[i];
            var high = (byte)(register >> 8);
            if (high == 0)
            {
                break;
            }

            destination[count++] = high;
            var low = (byte)register;
            if (low == 0 || count == destination.Length)
            {
                break;
            }

            destination[count++] = low;
        }

        return count;
    }

    /// <summary>A string tag as a .NET string (Latin-1), up to the first NUL.</summary>
    public static string ReadString(ReadOnlySpan<ushort> registers, ModbusByteOrder order = ModbusByteOrder.ABCD)
    {
        Span<byte> bytes = registers.Length <= 128 ? stackalloc byte[registers.Length * 2] : new byte[registers.Length * 2];
        var count = ReadStringBytes(registers, order, bytes);
        return System.Text.Encoding.Latin1.GetString(bytes[..count]);
    }

    public static void WriteUInt16(ushort value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        destination[0] = SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(value) : value;

    public static void WriteInt16(short value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        WriteUInt16((ushort)value, destination, order);

    public static void WriteUInt32(uint value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Scatter(bytes, 2, order, destination);
    }

    public static void WriteInt32(int value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        WriteUInt32((uint)value, destination, order);

    public static void WriteFloat32(float value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        WriteUInt32(BitConverter.SingleToUInt32Bits(value), destination, order);

    public static void WriteUInt64(ulong value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Scatter(bytes, 4, order, destination);
    }

    public static void WriteInt64(long value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        WriteUInt64((ulong)value, destination, order);

    public static void WriteFloat64(double value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD) =>
        WriteUInt64(BitConverter.DoubleToUInt64Bits(value), destination, order);

    /// <summary>
    /// Writes an engineering value as <paramref name="type"/>: scaling removed, integers rounded to nearest and
    /// refused (ArgumentOutOfRangeException) when outside the type's range rather than silently wrapped.
    /// </summary>
    public static void WriteNumber(ModbusValueType type, double value, Span<ushort> destination, ModbusByteOrder order, ModbusScaling scaling)
    {
        var raw = scaling.IsIdentity ? value : scaling.ToRaw(value);
        if (type is not (ModbusValueType.Float32 or ModbusValueType.Float64))
        {
            raw = Math.Round(raw, MidpointRounding.AwayFromZero);
        }

        switch (type)
        {
            case ModbusValueType.Bit:
                destination[0] = raw != 0 ? (ushort)1 : (ushort)0;
                break;
            case ModbusValueType.Int16:
                WriteInt16((short)Checked(raw, short.MinValue, short.MaxValue), destination, order);
                break;
            case ModbusValueType.UInt16:
                WriteUInt16((ushort)Checked(raw, ushort.MinValue, ushort.MaxValue), destination, order);
                break;
            case ModbusValueType.Int32:
                WriteInt32((int)Checked(raw, int.MinValue, int.MaxValue), destination, order);
                break;
            case ModbusValueType.UInt32:
                WriteUInt32((uint)Checked(raw, uint.MinValue, uint.MaxValue), destination, order);
                break;
            case ModbusValueType.Int64:
                WriteInt64((long)Checked(raw, long.MinValue, 9.2233720368547748E+18), destination, order);
                break;
            case ModbusValueType.UInt64:
                WriteUInt64((ulong)Checked(raw, 0, 1.844674407370955E+19), destination, order);
                break;
            case ModbusValueType.Float32:
                WriteFloat32((float)raw, destination, order);
                break;
            case ModbusValueType.Float64:
                WriteFloat64(raw, destination, order);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "not a numeric type");
        }
    }

    /// <summary>Writes a string's Latin-1 bytes, NUL-padding the rest of <paramref name="destination"/>.</summary>
    public static void WriteString(ReadOnlySpan<char> value, Span<ushort> destination, ModbusByteOrder order = ModbusByteOrder.ABCD)
    {
        if (value.Length > destination.Length * 2)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value.Length} characters do not fit in {destination.Length} registers");
        }

        var swap = SwapsBytes(order);
        for (var i = 0; i < destination.Length; i++)
        {
            var high = 2 * i < value.Length ? (byte)value[2 * i] : (byte)0;
            var low = 2 * i + 1 < value.Length ? (byte)value[2 * i + 1] : (byte)0;
            var register = (ushort)((high << 8) | low);
            destination[i] = swap ? BinaryPrimitives.ReverseEndianness(register) : register;
        }
    }

    private static bool SwapsBytes(ModbusByteOrder order) => order is ModbusByteOrder.BADC or ModbusByteOrder.DCBA;

    private static bool SwapsWords(ModbusByteOrder order) => order is ModbusByteOrder.CDAB or ModbusByteOrder.DCBA;

    /// <summary>Registers in <paramref name="order"/> → the value's big-endian bytes.</summary>
    private static void Gather(ReadOnlySpan<ushort> registers, int words, ModbusByteOrder order, Span<byte> bytes)
    {
        var swapWords = SwapsWords(order);
        var swapBytes = SwapsBytes(order);
        for (var i = 0; i < words; i++)
        {
            var register = registers[swapWords ? words - 1 - i : i];
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * i)..], swapBytes ? BinaryPrimitives.ReverseEndianness(register) : register);
        }
    }

    /// <summary>The value's big-endian bytes → registers in <paramref name="order"/>.</summary>
    private static void Scatter(ReadOnlySpan<byte> bytes, int words, ModbusByteOrder order, Span<ushort> destination)
    {
        var swapWords = SwapsWords(order);
        var swapBytes = SwapsBytes(order);
        for (var i = 0; i < words; i++)
        {
            var register = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
            destination[swapWords ? words - 1 - i : i] = swapBytes ? BinaryPrimitives.ReverseEndianness(register) : register;
        }
    }

    private static double Checked(double raw, double min, double max)
    {
        if (double.IsNaN(raw) || raw < min || raw > max)
        {
            throw new ArgumentOutOfRangeException(nameof(raw), raw, $"value outside {min}..{max} of the register type");
        }

        return raw;
    }
}
