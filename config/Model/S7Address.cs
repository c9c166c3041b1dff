namespace EdgePartition.Config;

/// <summary>Memory area of an S7 address.</summary>
public enum S7Area
{
    /// <summary>Data block (DBn.DBX/DBB/DBW/DBD).</summary>
    DataBlock,

    /// <summary>Flags / bit memory (M, MB, MW, MD).</summary>
    Merker,

    /// <summary>Process inputs (I or E).</summary>
    Input,

    /// <summary>Process outputs (Q or A).</summary>
    Output,
}

/// <summary>The width letter of an S7 address: X (bit), B (byte), W (word), D (double word).</summary>
public enum S7AddressWidth
{
    Bit,
    Byte,
    Word,
    DoubleWord,
}

/// <summary>
/// An S7 address as far as the configuration needs it: area, DB number, start byte and bit, and the number of
/// bytes the tag occupies (from its data type and array length). The S7 protocol library has the full parser.
/// </summary>
/// <param name="Area">Memory area.</param>
/// <param name="DbNumber">DB number for <see cref="S7Area.DataBlock"/>, otherwise 0.</param>
/// <param name="ByteOffset">Start byte.</param>
/// <param name="Bit">Bit number 0..7 for bit addresses, otherwise -1.</param>
/// <param name="Width">The width letter written in the address.</param>
/// <param name="Size">Bytes occupied, from the first byte touched to the last (a BOOL occupies one byte).</param>
public readonly record struct S7Address(S7Area Area, int DbNumber, int ByteOffset, int Bit, S7AddressWidth Width, int Size)
{
    public bool IsBit => Bit >= 0;

    /// <summary>First byte after the tag.</summary>
    public int EndByte => ByteOffset + Size;
}
