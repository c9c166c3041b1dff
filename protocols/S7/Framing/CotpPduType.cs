namespace EdgePartition.S7.Framing;

/// <summary>COTP (ISO 8073 class 0) TPDU codes used by ISO-on-TCP (RFC 1006 §6; snap7 s7_isotcp.h).</summary>
internal enum CotpPduType : byte
{
    ConnectionRequest = 0xE0,
    ConnectionConfirm = 0xD0,
    DisconnectRequest = 0x80,
    DisconnectConfirm = 0xC0,
    Data = 0xF0,
    Error = 0x70,
}
