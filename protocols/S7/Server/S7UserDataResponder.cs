using System.Buffers.Binary;
using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Server;

/// <summary>
/// Answers userdata requests. Only SZL 0x0424 (CPU operating state, read by clients' "PLC status") is served;
/// everything else gets a userdata error so the client fails cleanly. Layout: params
/// <c>00 01 12 | plen | 12 | 0x84 (response, SZL group) | subfunction | sequence | last-unit(2) | error(2)</c>, data
/// <c>FF 09 | length | SZL id | index | record length | record count | record</c> (S7comm userdata, Wireshark
/// "SZL" dissection; SZL 0x0424 record byte 3 is the operating state: 0x08 RUN, 0x04 STOP).
/// </summary>
internal static class S7UserDataResponder
{
    private const int ParameterLength = 12;
    private const byte SzlGroup = 0x04;
    private const ushort CpuStateSzl = 0x0424;
    private const int CpuStateRecordLength = 20;

    public static int Respond(ReadOnlySpan<byte> pdu, in S7Header header, S7CpuStatus status, Span<byte> response)
    {
        var parameters = pdu.Slice(S7Header.JobLength, header.ParameterLength);
        var data = pdu.Slice(S7Header.JobLength + header.ParameterLength, header.DataLength);
        if (parameters.Length < 8)
        {
            S7ProtocolException.ThrowMalformed("userdata parameters shorter than 8 bytes");
        }

        var reply = response[S7Header.JobLength..];
        parameters[..3].CopyTo(reply);
        reply[3] = 0x08;
        reply[4] = 0x12;
        reply[5] = (byte)(0x80 | (parameters[5] & 0x0F));
        reply[6] = parameters[6];
        reply[7] = parameters[7];
        reply[8] = 0;
        reply[9] = 0; // last data unit: no more fragments
        var body = reply[ParameterLength..];
        bool cpuState = (parameters[5] & 0x0F) == SzlGroup && data.Length >= 8 && BinaryPrimitives.ReadUInt16BigEndian(data[4..]) == CpuStateSzl;
        if (!cpuState)
        {
            BinaryPrimitives.WriteUInt16BigEndian(reply[10..], 0xD401); // "requested SZL/function not available"
            body[0] = (byte)S7ReturnCode.ObjectDoesNotExist;
            body[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(body[2..], 0);
            S7Header.Write(response, S7MessageType.UserData, header.PduReference, ParameterLength, 4);
            return S7Header.JobLength + ParameterLength + 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(reply[10..], 0);
        int dataLength = 4 + 8 + CpuStateRecordLength;
        body[..dataLength].Clear();
        body[0] = (byte)S7ReturnCode.Success;
        body[1] = S7TransportSize.DataOctetString;
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)(dataLength - 4));
        BinaryPrimitives.WriteUInt16BigEndian(body[4..], CpuStateSzl);
        BinaryPrimitives.WriteUInt16BigEndian(body[6..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(body[8..], CpuStateRecordLength);
        BinaryPrimitives.WriteUInt16BigEndian(body[10..], 1);
        var record = body[12..];
        BinaryPrimitives.WriteUInt16BigEndian(record, 0x4304); // event id "operating state change"
        record[2] = 0xFF;
        record[3] = (byte)status;
        S7Header.Write(response, S7MessageType.UserData, header.PduReference, ParameterLength, dataLength);
        return S7Header.JobLength + ParameterLength + dataLength;
    }
}
