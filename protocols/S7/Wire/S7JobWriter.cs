using System.Buffers.Binary;

namespace EdgePartition.S7.Wire;

/// <summary>
/// Writes client jobs as S7 PDUs (header + parameters + data) into a caller buffer (Sharp7 S7_PN / S7_MRD / S7_MWR
/// byte layouts). Callers have already checked that the job fits the negotiated PDU.
/// </summary>
internal static class S7JobWriter
{
    public const int SetupCommunicationLength = S7Header.JobLength + 8;

    /// <summary>Request bytes of a Read Var job: header, function + count, 12 per item.</summary>
    public static int ReadRequestLength(int items) => S7Header.JobLength + 2 + (S7ItemSpec.WireLength * items);

    /// <summary>Reply bytes of a Read Var job, counting every item's fill byte (the last one has none, so this is an upper bound).</summary>
    public static int ReadReplyLength(int items, int dataBytes, int oddItems) => S7Header.AckLength + 2 + (4 * items) + dataBytes + oddItems;

    /// <summary>Request bytes of a Write Var job.</summary>
    public static int WriteRequestLength(int items, int dataBytes, int oddItems) =>
        S7Header.JobLength + 2 + (S7ItemSpec.WireLength * items) + (4 * items) + dataBytes + oddItems;

    public static int WriteSetupCommunication(Span<byte> pdu, ushort pduReference, int parallelJobs, int pduSize)
    {
        S7Header.Write(pdu, S7MessageType.Job, pduReference, 8, 0);
        var parameters = pdu[S7Header.JobLength..];
        parameters[0] = (byte)S7Function.SetupCommunication;
        parameters[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(parameters[2..], (ushort)parallelJobs);
        BinaryPrimitives.WriteUInt16BigEndian(parameters[4..], (ushort)parallelJobs);
        BinaryPrimitives.WriteUInt16BigEndian(parameters[6..], (ushort)pduSize);
        return SetupCommunicationLength;
    }

    public static int WriteReadVar(Span<byte> pdu, ushort pduReference, ReadOnlySpan<S7ItemSpec> items)
    {
        int parameterLength = 2 + (S7ItemSpec.WireLength * items.Length);
        S7Header.Write(pdu, S7MessageType.Job, pduReference, parameterLength, 0);
        var parameters = pdu[S7Header.JobLength..];
        parameters[0] = (byte)S7Function.ReadVar;
        parameters[1] = (byte)items.Length;
        for (int i = 0; i < items.Length; i++)
        {
            WriteItem(parameters.Slice(2 + (i * S7ItemSpec.WireLength)), items[i]);
        }

        return S7Header.JobLength + parameterLength;
    }

    /// <summary>
    /// Writes a Write Var job; item i's data is <c>data[dataOffsets[i] .. + items[i].DataLength]</c>. Every data item
    /// but the last is padded to an even length.
    /// </summary>
    public static int WriteWriteVar(Span<byte> pdu, ushort pduReference, ReadOnlySpan<S7ItemSpec> items, ReadOnlySpan<byte> data,
        ReadOnlySpan<int> dataOffsets)
    {
        int parameterLength = 2 + (S7ItemSpec.WireLength * items.Length);
        var parameters = pdu[S7Header.JobLength..];
        parameters[0] = (byte)S7Function.WriteVar;
        parameters[1] = (byte)items.Length;
        int position = S7Header.JobLength + parameterLength;
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i];
            WriteItem(parameters.Slice(2 + (i * S7ItemSpec.WireLength)), item);
            int length = item.DataLength;
            pdu[position] = 0; // reserved return code in a request
            if (item.IsBit)
            {
                pdu[position + 1] = S7TransportSize.DataBit;
                BinaryPrimitives.WriteUInt16BigEndian(pdu[(position + 2)..], 1);
            }
            else if (item.Area.IsElementAddressed())
            {
                pdu[position + 1] = S7TransportSize.DataOctetString;
                BinaryPrimitives.WriteUInt16BigEndian(pdu[(position + 2)..], (ushort)length);
            }
            else
            {
                pdu[position + 1] = S7TransportSize.DataByte;
                BinaryPrimitives.WriteUInt16BigEndian(pdu[(position + 2)..], (ushort)(length * 8));
            }

            data.Slice(dataOffsets[i], length).CopyTo(pdu[(position + 4)..]);
            position += 4 + length;
            if ((length & 1) != 0 && i < items.Length - 1)
            {
                pdu[position++] = 0;
            }
        }

        S7Header.Write(pdu, S7MessageType.Job, pduReference, parameterLength, position - S7Header.JobLength - parameterLength);
        return position;
    }

    private static void WriteItem(Span<byte> destination, in S7ItemSpec item)
    {
        destination[0] = 0x12; // variable specification
        destination[1] = 0x0A; // length of the rest
        destination[2] = 0x10; // syntax id S7ANY
        destination[3] = item.TransportSize;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(item.IsBit ? 1 : item.Count));
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)(item.Area == S7Area.DB ? item.DbNumber : 0));
        destination[8] = (byte)item.Area;
        int address = item.WireAddress;
        destination[9] = (byte)(address >> 16);
        destination[10] = (byte)(address >> 8);
        destination[11] = (byte)address;
    }
}
