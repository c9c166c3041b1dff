using System.Buffers.Binary;

namespace EdgePartition.Modbus.Wire;

/// <summary>
/// Checks and decodes response PDUs for the client (Application Protocol §6 and §7). Every length and echoed field
/// is checked against the request before anything is copied; an exception response throws
/// <see cref="ProtocolErrorReason.PeerRejected"/>, anything else unexpected <see cref="ProtocolErrorReason.UnexpectedReply"/>.
/// </summary>
internal static class ResponseDecoder
{
    /// <summary>Throws if the PDU is an exception response or not of the requested function.</summary>
    public static void CheckFunction(ReadOnlySpan<byte> pdu, ModbusFunction function)
    {
        if (pdu.Length >= 1 && pdu[0] == (byte)function)
        {
            return;
        }

        if (pdu.Length == 2 && pdu[0] == ((byte)function | 0x80))
        {
            ModbusThrow.ExceptionResponse(function, (ModbusExceptionCode)pdu[1]);
        }

        ModbusThrow.UnexpectedResponse(function, pdu.Length == 0 ? "empty PDU" : $"function code 0x{pdu[0]:X2}, length {pdu.Length}");
    }

    /// <summary>FC 1/2: byte count, then the bits, unpacked into bools.</summary>
    public static void ReadBits(ReadOnlySpan<byte> pdu, ModbusFunction function, Span<bool> destination) =>
        BitPacking.Unpack(CheckByteCount(pdu, function, BitPacking.ByteCount(destination.Length)), destination);

    /// <summary>FC 1/2: byte count, then the bits, unpacked into 0/1 registers.</summary>
    public static void ReadBits(ReadOnlySpan<byte> pdu, ModbusFunction function, Span<ushort> destination) =>
        BitPacking.Unpack(CheckByteCount(pdu, function, BitPacking.ByteCount(destination.Length)), destination);

    /// <summary>FC 3/4/23: byte count (2 per register), then big-endian registers.</summary>
    public static void ReadRegisters(ReadOnlySpan<byte> pdu, ModbusFunction function, Span<ushort> destination)
    {
        var data = CheckByteCount(pdu, function, destination.Length * 2);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(i * 2)..]);
        }
    }

    /// <summary>FC 5/6 echo the request; FC 15/16 echo start and quantity. Either way: four bytes after the function.</summary>
    public static void CheckEcho(ReadOnlySpan<byte> pdu, ModbusFunction function, ushort first, ushort second)
    {
        CheckFunction(pdu, function);
        if (pdu.Length != 5)
        {
            ModbusThrow.UnexpectedResponse(function, $"length {pdu.Length} where 5 was expected");
        }

        var echoedFirst = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var echoedSecond = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (echoedFirst != first || echoedSecond != second)
        {
            ModbusThrow.UnexpectedResponse(function, $"echo {echoedFirst}/{echoedSecond} where {first}/{second} was sent");
        }
    }

    private static ReadOnlySpan<byte> CheckByteCount(ReadOnlySpan<byte> pdu, ModbusFunction function, int expectedBytes)
    {
        CheckFunction(pdu, function);
        if (pdu.Length < 2 || pdu[1] != expectedBytes || pdu.Length != 2 + expectedBytes)
        {
            ModbusThrow.UnexpectedResponse(function, $"byte count {(pdu.Length < 2 ? -1 : pdu[1])} and length {pdu.Length} where {expectedBytes} data bytes were expected");
        }

        return pdu.Slice(2, expectedBytes);
    }
}
