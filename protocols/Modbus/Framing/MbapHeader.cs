using System.Buffers.Binary;

namespace EdgePartition.Modbus.Framing;

/// <summary>
/// The 7-byte MBAP header of Modbus TCP (Messaging Implementation Guide V1.0b §3.1.3): transaction id, protocol id
/// (always 0), length (unit id + PDU), unit id.
/// </summary>
public readonly record struct MbapHeader(ushort TransactionId, ushort Length, byte UnitId)
{
    /// <summary>The PDU length: the header's length field counts the unit id too.</summary>
    public int PduLength => Length - 1;

    /// <summary>Writes a header for a PDU of <paramref name="pduLength"/> bytes.</summary>
    public static void Write(Span<byte> destination, ushort transactionId, byte unitId, int pduLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(pduLength + 1));
        destination[6] = unitId;
    }
}
