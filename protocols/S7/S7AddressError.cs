namespace EdgePartition.S7;

/// <summary>
/// Why a text is not an S7 address: a sentence that quotes the text and says what to write instead, and the
/// 0-based index into the text (as given, leading blanks included) where the parser stopped.
/// </summary>
public readonly record struct S7AddressError(int Position, string Message)
{
    public override string ToString() => Message;
}
