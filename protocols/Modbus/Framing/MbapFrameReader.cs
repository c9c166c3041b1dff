using System.Buffers;

namespace EdgePartition.Modbus.Framing;

/// <summary>
/// Cuts Modbus TCP frames out of a byte stream. Pure and synchronous: <see cref="TryRead"/> either returns a whole
/// frame and advances the reader past it, or returns false without consuming when bytes are missing, or throws
/// <see cref="ProtocolErrorReason.MalformedFrame"/> as soon as the header is invalid, before waiting for a body whose
/// declared length cannot be trusted.
/// </summary>
public static class MbapFrameReader
{
    /// <summary>Smallest length field: unit id + function code.</summary>
    public const int MinLengthField = 2;

    /// <summary>Largest length field: unit id + the largest PDU.</summary>
    public const int MaxLengthField = 1 + ModbusLimits.MaxPduLength;

    public static bool TryRead(ref SequenceReader<byte> reader, out MbapHeader header, out ReadOnlySequence<byte> pdu)
    {
        header = default;
        pdu = default;
        Span<byte> raw = stackalloc byte[ModbusLimits.MbapHeaderLength];
        if (!reader.TryCopyTo(raw))
        {
            // Even a partial header can already be judged: a wrong protocol id should not wait for more bytes.
            CheckPartial(reader.UnreadSequence);
            return false;
        }

        var transactionId = (ushort)((raw[0] << 8) | raw[1]);
        var protocolId = (raw[2] << 8) | raw[3];
        var length = (raw[4] << 8) | raw[5];
        if (protocolId != 0)
        {
            ModbusThrow.MalformedFrame($"protocol id {protocolId} (Modbus is 0)");
        }

        if (length is < MinLengthField or > MaxLengthField)
        {
            ModbusThrow.MalformedFrame($"length field {length} outside {MinLengthField}..{MaxLengthField}");
        }

        if (reader.Remaining < ModbusLimits.MbapHeaderLength + length - 1)
        {
            return false;
        }

        header = new MbapHeader(transactionId, (ushort)length, raw[6]);
        reader.Advance(ModbusLimits.MbapHeaderLength);
        pdu = reader.UnreadSequence.Slice(0, length - 1);
        reader.Advance(length - 1);
        return true;
    }

    private static void CheckPartial(ReadOnlySequence<byte> partial)
    {
        if (partial.Length < 4)
        {
            return;
        }

        Span<byte> head = stackalloc byte[6];
        var available = (int)Math.Min(partial.Length, 6);
        partial.Slice(0, available).CopyTo(head);
        if (head[2] != 0 || head[3] != 0)
        {
            ModbusThrow.MalformedFrame($"protocol id {(head[2] << 8) | head[3]} (Modbus is 0)");
        }

        if (available == 6)
        {
            var length = (head[4] << 8) | head[5];
            if (length is < MinLengthField or > MaxLengthField)
            {
                ModbusThrow.MalformedFrame($"length field {length} outside {MinLengthField}..{MaxLengthField}");
            }
        }
    }
}
