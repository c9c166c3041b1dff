using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace EdgePartition.S7.Framing;

/// <summary>
/// Reads whole ISO messages from a pipe: COTP DT fragments are joined until the EOT bit into the caller's buffer
/// (the TSDU, an S7 PDU); any other TPDU is returned as a control frame. Frames and the joined TSDU are bounded.
/// </summary>
internal sealed class IsoMessageReader(PipeReader reader)
{
    /// <summary>
    /// Reads the next message. Returns the TSDU length for DT, or -1 for a
    /// CR/CC/DR/DC/ER TPDU (then in <see cref="LastControl"/>). Empty DT frames (some soft PLCs send them) are skipped.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Memory<byte> tsdu, int maxFrameLength, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var outcome = Consume(ref buffer, tsdu.Span, maxFrameLength, ref filled, out var control);
            if (outcome != NeedMore)
            {
                // Examined = consumed: a pipelined reply may already sit in the buffer behind this one.
                reader.AdvanceTo(buffer.Start);
                LastControl = control;
                return outcome;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);

            if (result.IsCompleted)
            {
                S7ProtocolException.Throw(ProtocolErrorReason.ConnectionClosed,
                    buffer.IsEmpty ? "The peer closed the connection." : "The peer closed the connection in the middle of a frame.");
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    /// <summary>The control frame of the last call that returned -1.</summary>
    public IsoFrame LastControl { get; private set; }

    private const int NeedMore = int.MinValue;

    /// <summary>Parses as many frames as are complete; leaves <paramref name="buffer"/> at the first unconsumed byte.</summary>
    private static int Consume(ref ReadOnlySequence<byte> buffer, Span<byte> tsdu, int maxFrameLength, ref int filled, out IsoFrame control)
    {
        control = default;
        var sequenceReader = new SequenceReader<byte>(buffer);
        try
        {
            while (IsoFrameCodec.TryParse(ref sequenceReader, maxFrameLength, out var frame))
            {
                if (frame.Type != CotpPduType.Data)
                {
                    control = frame;
                    return -1;
                }

                long fragment = frame.Payload.Length;
                if (fragment > tsdu.Length - filled)
                {
                    S7ProtocolException.Throw(ProtocolErrorReason.LimitExceeded,
                        $"The peer sent a message longer than the negotiated {tsdu.Length}-byte PDU.");
                }

                frame.Payload.CopyTo(tsdu[filled..]);
                filled += (int)fragment;
                if (frame.EndOfTsdu && filled > 0)
                {
                    return filled;
                }
            }

            return NeedMore;
        }
        finally
        {
            buffer = buffer.Slice(sequenceReader.Position);
        }
    }
}
