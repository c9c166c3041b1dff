using System.Buffers;
using System.Buffers.Binary;

namespace EdgePartition.S7.Framing;

/// <summary>
/// TPKT (RFC 1006 §6: version 3, reserved, 16-bit length including the header) around COTP class 0 TPDUs
/// (ISO 8073 §13: length indicator, code, fixed part, parameters). Pure: parsing never consumes an incomplete frame.
/// </summary>
internal static class IsoFrameCodec
{
    public const int TpktHeaderLength = 4;

    /// <summary>TPKT + COTP DT header (LI 2, code F0, EOT|nr).</summary>
    public const int DataHeaderLength = 7;

    /// <summary>COTP parameter codes (ISO 8073 §13.3.4).</summary>
    private const byte ParameterTpduSize = 0xC0;
    private const byte ParameterCallingTsap = 0xC1;
    private const byte ParameterCalledTsap = 0xC2;

    private const byte EndOfTsduFlag = 0x80;

    /// <summary>
    /// Parses one frame. Returns false (consuming nothing) while bytes are missing; throws
    /// <see cref="S7ProtocolException"/> for a frame that can never become valid.
    /// </summary>
    public static bool TryParse(ref SequenceReader<byte> reader, int maxFrameLength, out IsoFrame frame)
    {
        frame = default;
        Span<byte> head = stackalloc byte[TpktHeaderLength];
        if (!reader.TryCopyTo(head))
        {
            return false;
        }

        if (head[0] != 3)
        {
            S7ProtocolException.ThrowMalformed($"TPKT version {head[0]} instead of 3");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
        if (length < TpktHeaderLength + 2)
        {
            S7ProtocolException.ThrowMalformed($"TPKT length {length} is shorter than a COTP header");
        }

        if (length > maxFrameLength)
        {
            S7ProtocolException.Throw(ProtocolErrorReason.LimitExceeded,
                $"The peer sent a {length}-byte frame; the negotiated limit is {maxFrameLength} bytes.");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        var whole = reader.UnreadSequence.Slice(0, length);
        Span<byte> cotp = stackalloc byte[Math.Min(length - TpktHeaderLength, 256)];
        whole.Slice(TpktHeaderLength, cotp.Length).CopyTo(cotp);
        int li = cotp[0];
        if (li < 1 || TpktHeaderLength + 1 + li > length || li >= cotp.Length)
        {
            S7ProtocolException.ThrowMalformed($"COTP length indicator {li} does not fit a {length}-byte frame");
        }

        var type = (CotpPduType)(cotp[1] & 0xF0);
        var payload = whole.Slice(TpktHeaderLength + 1 + li);
        switch (type)
        {
            case CotpPduType.Data:
                if (li < 2)
                {
                    S7ProtocolException.ThrowMalformed("COTP DT header shorter than 2 bytes");
                }

                frame = new IsoFrame { Type = type, EndOfTsdu = (cotp[2] & EndOfTsduFlag) != 0, Payload = payload };
                break;
            case CotpPduType.ConnectionRequest or CotpPduType.ConnectionConfirm:
                frame = ParseConnection(type, cotp[1..(li + 1)]);
                break;
            case CotpPduType.DisconnectRequest or CotpPduType.DisconnectConfirm or CotpPduType.Error:
                frame = new IsoFrame { Type = type };
                break;
            default:
                S7ProtocolException.ThrowMalformed($"unknown COTP TPDU code 0x{cotp[1]:X2}");
                break;
        }

        reader.Advance(length);
        return true;
    }

    /// <summary>CR/CC fixed part: code, dst-ref(2), src-ref(2), class; then parameters (code, length, value).</summary>
    private static IsoFrame ParseConnection(CotpPduType type, ReadOnlySpan<byte> header)
    {
        if (header.Length < 6)
        {
            S7ProtocolException.ThrowMalformed("COTP connection TPDU shorter than its fixed part");
        }

        ushort sourceReference = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
        byte tpduSize = 0;
        ushort calling = 0, called = 0;
        var parameters = header[6..];
        while (!parameters.IsEmpty)
        {
            if (parameters.Length < 2 || parameters[1] > parameters.Length - 2)
            {
                S7ProtocolException.ThrowMalformed("COTP parameter runs past the header");
            }

            var value = parameters.Slice(2, parameters[1]);
            switch (parameters[0])
            {
                case ParameterTpduSize when value.Length == 1: tpduSize = value[0]; break;
                case ParameterCallingTsap when value.Length == 2: calling = BinaryPrimitives.ReadUInt16BigEndian(value); break;
                case ParameterCalledTsap when value.Length == 2: called = BinaryPrimitives.ReadUInt16BigEndian(value); break;
                default: break; // other parameters (checksum, version, ...) are legal and ignored
            }

            parameters = parameters[(2 + value.Length)..];
        }

        return new IsoFrame
        {
            Type = type,
            SourceReference = sourceReference,
            TpduSizeCode = tpduSize,
            CallingTsap = calling,
            CalledTsap = called,
        };
    }

    /// <summary>Writes TPKT + COTP DT (single fragment, EOT) in front of a payload already at offset 7. Returns the frame length.</summary>
    public static int WriteDataHeader(Span<byte> frame, int payloadLength)
    {
        int length = DataHeaderLength + payloadLength;
        frame[0] = 3;
        frame[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)length);
        frame[4] = 2;
        frame[5] = (byte)CotpPduType.Data;
        frame[6] = EndOfTsduFlag;
        return length;
    }

    /// <summary>Writes a CR or CC with TPDU size and both TSAPs (22 bytes, the layout every S7 peer accepts).</summary>
    public static int WriteConnection(Span<byte> frame, CotpPduType type, ushort destinationReference, ushort sourceReference,
        byte tpduSizeCode, ushort callingTsap, ushort calledTsap)
    {
        const int Length = 22;
        frame[0] = 3;
        frame[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], Length);
        frame[4] = Length - 5;
        frame[5] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(frame[6..], destinationReference);
        BinaryPrimitives.WriteUInt16BigEndian(frame[8..], sourceReference);
        frame[10] = 0; // class 0
        frame[11] = ParameterTpduSize;
        frame[12] = 1;
        frame[13] = tpduSizeCode;
        frame[14] = ParameterCallingTsap;
        frame[15] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(frame[16..], callingTsap);
        frame[18] = ParameterCalledTsap;
        frame[19] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(frame[20..], calledTsap);
        return Length;
    }
}
