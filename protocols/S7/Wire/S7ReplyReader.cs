using System.Buffers.Binary;

namespace EdgePartition.S7.Wire;

/// <summary>Checks client-side replies (Ack_Data) against the job they answer and exposes their items.</summary>
internal static class S7ReplyReader
{
    /// <summary>
    /// Validates an Ack_Data for <paramref name="function"/> with <paramref name="itemCount"/> items (for Setup
    /// Communication pass 0) and returns its data section. A header error becomes the mapped typed exception.
    /// </summary>
    public static ReadOnlySpan<byte> ReadAckData(ReadOnlySpan<byte> pdu, S7Function function, int itemCount)
    {
        var header = S7Header.Parse(pdu);
        if (header.Type is not (S7MessageType.AckData or S7MessageType.Ack))
        {
            S7ProtocolException.Throw(ProtocolErrorReason.UnexpectedReply, $"Expected an Ack_Data reply, got ROSCTR {(byte)header.Type}.");
        }

        if (header.HasError)
        {
            throw S7ProtocolException.FromHeaderError(header.ErrorClass, header.ErrorCode);
        }

        var parameters = pdu.Slice(header.Length, header.ParameterLength);
        if (parameters.Length < 2 || parameters[0] != (byte)function)
        {
            S7ProtocolException.Throw(ProtocolErrorReason.UnexpectedReply,
                $"The reply is not for function 0x{(byte)function:X2}.");
        }

        if (itemCount > 0 && parameters[1] != itemCount)
        {
            S7ProtocolException.Throw(ProtocolErrorReason.UnexpectedReply, $"The reply has {parameters[1]} items for {itemCount} requested.");
        }

        return pdu.Slice(header.Length + header.ParameterLength, header.DataLength);
    }

    /// <summary>Setup Communication reply parameters: F0 00, AmQ calling(2), AmQ called(2), PDU size(2).</summary>
    public static (int ParallelJobs, int PduSize) ReadSetupCommunication(ReadOnlySpan<byte> pdu)
    {
        var header = S7Header.Parse(pdu);
        if (header.HasError)
        {
            throw new S7ProtocolException(ProtocolErrorReason.NegotiationFailed,
                $"The PLC refused Setup Communication (error class 0x{header.ErrorClass:X2}, code 0x{header.ErrorCode:X2}): check rack/slot or TSAPs and the connection type.",
                (header.ErrorClass << 8) | header.ErrorCode);
        }

        var parameters = pdu.Slice(header.Length, header.ParameterLength);
        if (parameters.Length < 8 || parameters[0] != (byte)S7Function.SetupCommunication)
        {
            S7ProtocolException.Throw(ProtocolErrorReason.NegotiationFailed, "The PLC answered Setup Communication with something else.");
        }

        int calling = BinaryPrimitives.ReadUInt16BigEndian(parameters[2..]);
        int pduSize = BinaryPrimitives.ReadUInt16BigEndian(parameters[6..]);
        return (calling, pduSize);
    }
}

/// <summary>
/// Walks the data items of a Read Var reply or Write Var request: <c>retcode | TS | length(2) | data | fill</c>,
/// every item but the last padded to even. Bounds are checked before every read.
/// </summary>
internal ref struct S7DataItemReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public bool TryRead(out byte returnCode, out byte transportSize, out ReadOnlySpan<byte> value)
    {
        value = default;
        returnCode = 0;
        transportSize = 0;
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_rest.Length < 4)
        {
            // A failed item may be sent as return code only, with TS 0 and no length (snap7 sends 4 bytes; be lenient).
            returnCode = _rest[0];
            _rest = default;
            if (returnCode == (byte)S7ReturnCode.Success)
            {
                S7ProtocolException.ThrowMalformed("successful data item without its length");
            }

            return true;
        }

        returnCode = _rest[0];
        transportSize = _rest[1];

        // A failed item carries no data whatever its length field says (snap7's server puts 4 there).
        int length = returnCode == (byte)S7ReturnCode.Success || returnCode == 0
            ? S7TransportSize.DataByteCount(transportSize, BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]))
            : 0;
        if (length > _rest.Length - 4)
        {
            S7ProtocolException.ThrowMalformed($"data item of {length} bytes runs past the PDU");
        }

        value = _rest.Slice(4, length);
        int next = 4 + length + (length & 1);
        _rest = next >= _rest.Length ? default : _rest[next..];
        return true;
    }
}
