using System.Buffers.Binary;

namespace EdgePartition.Modbus.Wire;

/// <summary>
/// Writes request PDUs (function code + data) for the client, Application Protocol §6.1-§6.17. Each method returns
/// the PDU length. Callers have checked quantities against <see cref="ModbusLimits"/>.
/// </summary>
internal static class RequestEncoder
{
    /// <summary>FC 1-4: function, start address, quantity.</summary>
    public static int Read(Span<byte> pdu, ModbusFunction function, ushort start, int quantity)
    {
        pdu[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)quantity);
        return 5;
    }

    /// <summary>FC 5: ON is 0xFF00, OFF is 0x0000.</summary>
    public static int WriteSingleCoil(Span<byte> pdu, ushort address, bool value)
    {
        pdu[0] = (byte)ModbusFunction.WriteSingleCoil;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], value ? (ushort)0xFF00 : (ushort)0x0000);
        return 5;
    }

    /// <summary>FC 6.</summary>
    public static int WriteSingleRegister(Span<byte> pdu, ushort address, ushort value)
    {
        pdu[0] = (byte)ModbusFunction.WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], value);
        return 5;
    }

    /// <summary>FC 15: start, quantity, byte count, packed bits.</summary>
    public static int WriteMultipleCoils(Span<byte> pdu, ushort start, ReadOnlySpan<bool> values)
    {
        pdu[0] = (byte)ModbusFunction.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)values.Length);
        var byteCount = BitPacking.ByteCount(values.Length);
        pdu[5] = (byte)byteCount;
        BitPacking.Pack(values, pdu[6..]);
        return 6 + byteCount;
    }

    /// <summary>FC 16: start, quantity, byte count, big-endian registers.</summary>
    public static int WriteMultipleRegisters(Span<byte> pdu, ushort start, ReadOnlySpan<ushort> values)
    {
        pdu[0] = (byte)ModbusFunction.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)values.Length);
        pdu[5] = (byte)(values.Length * 2);
        WriteRegisters(pdu[6..], values);
        return 6 + values.Length * 2;
    }

    /// <summary>FC 23: read start, read quantity, write start, write quantity, byte count, registers.</summary>
    public static int ReadWriteMultipleRegisters(Span<byte> pdu, ushort readStart, int readQuantity, ushort writeStart, ReadOnlySpan<ushort> values)
    {
        pdu[0] = (byte)ModbusFunction.ReadWriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], readStart);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], (ushort)readQuantity);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[5..], writeStart);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[7..], (ushort)values.Length);
        pdu[9] = (byte)(values.Length * 2);
        WriteRegisters(pdu[10..], values);
        return 10 + values.Length * 2;
    }

    public static void WriteRegisters(Span<byte> destination, ReadOnlySpan<ushort> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(i * 2)..], values[i]);
        }
    }
}
