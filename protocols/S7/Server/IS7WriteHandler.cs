using System.Net;

namespace EdgePartition.S7.Server;

/// <summary>
/// Decides, per client write item, whether it may change the area. A server exposing data owned elsewhere (a
/// gateway, a read-only endpoint) refuses or forwards writes instead of letting clients change its memory. Called
/// on the client's connection task before the area lock is taken; keep it quick.
/// </summary>
public interface IS7WriteHandler
{
    S7WriteDecision OnWrite(in S7WriteRequest request);
}

/// <summary>One Write Var item that passed the area, range and type checks. <see cref="Value"/> is valid only during the call.</summary>
public readonly ref struct S7WriteRequest(EndPoint? client, S7Area area, int number, int byteOffset, int bit, ReadOnlySpan<byte> value)
{
    public EndPoint? Client { get; } = client;

    public S7Area Area { get; } = area;

    /// <summary>DB number (0 for other areas).</summary>
    public int Number { get; } = number;

    /// <summary>Byte offset in the area (counters and timers: element number × 2).</summary>
    public int ByteOffset { get; } = byteOffset;

    /// <summary>Bit 0..7 for a bit item, -1 otherwise.</summary>
    public int Bit { get; } = bit;

    /// <summary>The bytes to write (a bit item: one byte, 0 or 1).</summary>
    public ReadOnlySpan<byte> Value { get; } = value;
}

/// <summary>What the server does with one client write item.</summary>
public readonly record struct S7WriteDecision
{
    private S7WriteDecision(bool apply, S7ReturnCode code)
    {
        ApplyToArea = apply;
        ReturnCode = code;
    }

    /// <summary>Write into the area and answer success (what a server without a handler does).</summary>
    public static S7WriteDecision Apply { get; } = new(true, S7ReturnCode.Success);

    /// <summary>Answer success without touching the area: the handler took the write elsewhere.</summary>
    public static S7WriteDecision Accepted { get; } = new(false, S7ReturnCode.Success);

    /// <summary>Refuse the item with this return code (AccessDenied for data that is not writable).</summary>
    public static S7WriteDecision Reject(S7ReturnCode code) =>
        code == S7ReturnCode.Success ? throw new ArgumentOutOfRangeException(nameof(code), "a rejection needs a failure code") : new(false, code);

    public bool ApplyToArea { get; }

    public S7ReturnCode ReturnCode { get; }
}
