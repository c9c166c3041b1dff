namespace EdgePartition.S7.Client;

/// <summary>
/// A range to read: <paramref name="Offset"/> is the byte offset (the element number for counters and timers) and
/// <paramref name="Length"/> the number of bytes (2 per counter or timer).
/// </summary>
public readonly record struct S7ReadItem(S7Area Area, int DbNumber, int Offset, int Length)
{
    /// <summary>An item starting at an address (a bit address reads its byte).</summary>
    public static S7ReadItem From(S7Address address, int length) => new(address.Area, address.DbNumber, address.Offset, length);

    /// <summary>An item for a tag of a type at an address.</summary>
    public static S7ReadItem From(S7Address address, S7DataType type, int arrayLength = 1, int stringLength = S7DataTypes.DefaultStringLength) =>
        new(address.Area, address.DbNumber, address.Offset,
            arrayLength <= 1 ? S7DataTypes.SizeOf(type, stringLength) : S7DataTypes.SizeOfArray(type, arrayLength, stringLength));
}

/// <summary>A merged range of a plan and where its bytes land in the plan's buffer.</summary>
public readonly record struct S7ReadRange(S7Area Area, int DbNumber, int Offset, int Length, int BufferOffset);

/// <summary>One write: bytes at an address; a bit address writes only that bit (from <c>Data[0] != 0</c>).</summary>
public readonly record struct S7WriteItem(S7Address Address, ReadOnlyMemory<byte> Data);
