using System.Buffers;

namespace EdgePartition.S7.Framing;

/// <summary>
/// One TPKT frame with its COTP header. For DT frames <see cref="Payload"/> is the TSDU fragment and
/// <see cref="EndOfTsdu"/> says whether it is the last; for CR/CC the TSAPs and TPDU size are parsed.
/// </summary>
internal readonly struct IsoFrame
{
    public CotpPduType Type { get; init; }

    public bool EndOfTsdu { get; init; }

    public ReadOnlySequence<byte> Payload { get; init; }

    public ushort SourceReference { get; init; }

    /// <summary>The TPDU size code (2^code bytes), 0 when the frame carried none.</summary>
    public byte TpduSizeCode { get; init; }

    public ushort CallingTsap { get; init; }

    public ushort CalledTsap { get; init; }
}
