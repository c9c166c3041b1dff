namespace EdgePartition.S7.Wire;

/// <summary>ROSCTR values of the S7comm header (Wireshark packet-s7comm.h, "ROSCTR").</summary>
internal enum S7MessageType : byte
{
    Job = 0x01,
    Ack = 0x02,
    AckData = 0x03,
    UserData = 0x07,
}

/// <summary>Job function codes (Wireshark packet-s7comm.h, "function codes").</summary>
internal enum S7Function : byte
{
    ReadVar = 0x04,
    WriteVar = 0x05,
    SetupCommunication = 0xF0,
}

/// <summary>Transport sizes in a request item (S7ANY) and in a data item (Wireshark item/data transport sizes).</summary>
internal static class S7TransportSize
{
    // Request item (S7ANY) transport sizes.
    public const byte ItemBit = 0x01;
    public const byte ItemByte = 0x02;
    public const byte ItemCounter = 0x1C;
    public const byte ItemTimer = 0x1D;

    // Data item transport sizes; 0x03/0x04/0x05 count the length in bits, the others in bytes.
    public const byte DataNull = 0x00;
    public const byte DataBit = 0x03;
    public const byte DataByte = 0x04;
    public const byte DataInteger = 0x05;
    public const byte DataDInteger = 0x06;
    public const byte DataReal = 0x07;
    public const byte DataOctetString = 0x09;

    /// <summary>Bytes of data a data item of this transport size and wire length carries.</summary>
    public static int DataByteCount(byte transportSize, int wireLength) => transportSize switch
    {
        DataBit => wireLength == 0 ? 0 : 1, // one bit travels in one byte
        DataByte or DataInteger => (wireLength + 7) / 8,
        _ => wireLength,
    };
}
