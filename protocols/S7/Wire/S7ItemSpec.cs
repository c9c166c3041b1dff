namespace EdgePartition.S7.Wire;

/// <summary>
/// One variable specification of a Read Var / Write Var job in S7ANY syntax: 12 bytes
/// <c>12 0A 10 | TS | count(2) | DB(2) | area | address(3)</c>. Byte areas are read as BYTE×count with the bit address
/// offset·8; a bit access is BIT×1 at offset·8+bit; counters and timers are elements (2 bytes) at their number.
/// </summary>
internal readonly record struct S7ItemSpec(S7Area Area, int DbNumber, int Offset, int Count, int Bit = -1)
{
    public const int WireLength = 12;

    public bool IsBit => Bit >= 0;

    /// <summary>Bytes of data the item carries.</summary>
    public int DataLength => IsBit ? 1 : Area.IsElementAddressed() ? Count * 2 : Count;

    public byte TransportSize => IsBit ? S7TransportSize.ItemBit
        : Area switch { S7Area.C => S7TransportSize.ItemCounter, S7Area.T => S7TransportSize.ItemTimer, _ => S7TransportSize.ItemByte };

    public int WireAddress => IsBit ? (Offset * 8) + Bit : Area.IsElementAddressed() ? Offset : Offset * 8;
}
