namespace EdgePartition.OpcUa.Types;

/// <summary>
/// Why a text is not a NodeId: <see cref="Reason"/> says what is wrong (without repeating the text) and
/// <see cref="Position"/> is the 0-based index into the text where the parser stopped.
/// </summary>
public readonly record struct NodeIdError(int Position, string Reason)
{
    public override string ToString() => Reason;
}
