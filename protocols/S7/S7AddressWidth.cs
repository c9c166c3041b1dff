namespace EdgePartition.S7;

/// <summary>The access width an address in Siemens notation implies (X, B, W, D; counters/timers are one element).</summary>
public enum S7AddressWidth : byte
{
    Bit,
    Byte,
    Word,
    DWord,

    /// <summary>One counter or timer (2 bytes).</summary>
    Element,
}
