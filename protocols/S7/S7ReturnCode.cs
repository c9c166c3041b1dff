namespace EdgePartition.S7;

/// <summary>
/// Item return codes of Read Var / Write Var replies (S7comm item return-code table, as listed by Wireshark's
/// packet-s7comm.h). 0xFF is success; everything else is a per-item failure.
/// </summary>
public enum S7ReturnCode : byte
{
    /// <summary>No reply yet (never sent on the wire by a PLC for a served item).</summary>
    Reserved = 0x00,
    HardwareFault = 0x01,
    AccessDenied = 0x03,
    AddressOutOfRange = 0x05,
    DataTypeNotSupported = 0x06,
    DataTypeInconsistent = 0x07,
    ObjectDoesNotExist = 0x0A,
    Success = 0xFF,
}
