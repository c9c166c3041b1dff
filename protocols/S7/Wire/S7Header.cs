using System.Buffers.Binary;

namespace EdgePartition.S7.Wire;

/// <summary>
/// The S7comm header: protocol id 0x32, ROSCTR, redundancy id (2), PDU reference (2), parameter length (2), data
/// length (2), plus error class and code for Ack / Ack_Data (snap7 TS7ReqHeader / TS7ResHeader23).
/// </summary>
internal readonly struct S7Header
{
    public const byte ProtocolId = 0x32;
    public const int JobLength = 10;
    public const int AckLength = 12;

    public S7MessageType Type { get; init; }

    public ushort PduReference { get; init; }

    public int ParameterLength { get; init; }

    public int DataLength { get; init; }

    public byte ErrorClass { get; init; }

    public byte ErrorCode { get; init; }

    public int Length => Type is S7MessageType.Ack or S7MessageType.AckData ? AckLength : JobLength;

    public bool HasError => ErrorClass != 0 || ErrorCode != 0;

    /// <summary>Parses and checks that header, parameters and data exactly fill <paramref name="pdu"/>.</summary>
    public static S7Header Parse(ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length < JobLength)
        {
            S7ProtocolException.ThrowMalformed($"S7 PDU of {pdu.Length} bytes is shorter than a header");
        }

        if (pdu[0] != ProtocolId)
        {
            S7ProtocolException.ThrowMalformed($"protocol id 0x{pdu[0]:X2} instead of 0x32");
        }

        var type = (S7MessageType)pdu[1];
        if (type is not (S7MessageType.Job or S7MessageType.Ack or S7MessageType.AckData or S7MessageType.UserData))
        {
            S7ProtocolException.ThrowMalformed($"unknown ROSCTR 0x{pdu[1]:X2}");
        }

        bool ack = type is S7MessageType.Ack or S7MessageType.AckData;
        int headerLength = ack ? AckLength : JobLength;
        if (pdu.Length < headerLength)
        {
            S7ProtocolException.ThrowMalformed("S7 acknowledgement shorter than its 12-byte header");
        }

        var header = new S7Header
        {
            Type = type,
            PduReference = BinaryPrimitives.ReadUInt16BigEndian(pdu[4..]),
            ParameterLength = BinaryPrimitives.ReadUInt16BigEndian(pdu[6..]),
            DataLength = BinaryPrimitives.ReadUInt16BigEndian(pdu[8..]),
            ErrorClass = ack ? pdu[10] : (byte)0,
            ErrorCode = ack ? pdu[11] : (byte)0,
        };
        if (headerLength + header.ParameterLength + header.DataLength != pdu.Length)
        {
            S7ProtocolException.ThrowMalformed(
                $"S7 header declares {header.ParameterLength} parameter and {header.DataLength} data bytes in a {pdu.Length}-byte PDU");
        }

        return header;
    }

    /// <summary>Reads the PDU reference without validating the rest (to route a reply to its job).</summary>
    public static bool TryReadPduReference(ReadOnlySpan<byte> pdu, out ushort reference)
    {
        reference = 0;
        if (pdu.Length < JobLength || pdu[0] != ProtocolId)
        {
            return false;
        }

        reference = BinaryPrimitives.ReadUInt16BigEndian(pdu[4..]);
        return true;
    }

    public static void Write(Span<byte> destination, S7MessageType type, ushort pduReference, int parameterLength, int dataLength,
        byte errorClass = 0, byte errorCode = 0)
    {
        destination[0] = ProtocolId;
        destination[1] = (byte)type;
        destination[2] = 0;
        destination[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], pduReference);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)parameterLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)dataLength);
        if (type is S7MessageType.Ack or S7MessageType.AckData)
        {
            destination[10] = errorClass;
            destination[11] = errorCode;
        }
    }
}
