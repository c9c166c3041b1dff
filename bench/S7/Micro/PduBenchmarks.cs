using BenchmarkDotNet.Attributes;
using EdgePartition.S7.Client;
using EdgePartition.S7.Framing;
using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Bench.Micro;

/// <summary>
/// One Read Var job of 20 items framed (TPKT/COTP + S7 header + item specs), and its Ack_Data reply checked and its
/// items copied to their places in the poll buffer, as the client does per job.
/// </summary>
public class PduBenchmarks
{
    private const int PduSize = 960;
    private readonly byte[] _request = new byte[IsoFrameCodec.DataHeaderLength + PduSize];
    private readonly byte[] _reply = new byte[PduSize];
    private S7ReadPlan _plan = null!;
    private byte[] _buffer = [];
    private int _replyLength;
    private int _items;

    [GlobalSetup]
    public void Setup()
    {
        // 20 tags far enough apart that the planner keeps them as 20 items of one job.
        var tags = new S7ReadItem[20];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new S7ReadItem(S7Area.DB, 1, i * 100, 1 + (i % 4));
        }

        _plan = new S7ReadPlanner().Plan(tags, PduSize);
        _buffer = new byte[_plan.BufferLength];
        _items = _plan.JobStarts[1];
        _replyLength = WriteReply(_reply, _plan.Chunks.AsSpan(0, _items));
    }

    [Benchmark]
    public int EncodeReadVar()
    {
        int length = S7JobWriter.WriteReadVar(_request.AsSpan(IsoFrameCodec.DataHeaderLength), 0x0102, _plan.Chunks.AsSpan(0, _items));
        return IsoFrameCodec.WriteDataHeader(_request, length);
    }

    [Benchmark]
    public int DecodeReadReply()
    {
        var items = new S7DataItemReader(S7ReplyReader.ReadAckData(_reply.AsSpan(0, _replyLength), S7Function.ReadVar, _items));
        int stored = 0;
        for (int i = 0; i < _items; i++)
        {
            if (!items.TryRead(out byte code, out _, out var value) || code != (byte)S7ReturnCode.Success)
            {
                throw new InvalidOperationException("the reply holds every item");
            }

            value.CopyTo(_buffer.AsSpan(_plan.ChunkBufferOffsets[i]));
            stored += value.Length;
        }

        return stored;
    }

    /// <summary>An Ack_Data Read Var reply for the items: header, function + count, then each item (padded to even but the last).</summary>
    private static int WriteReply(Span<byte> pdu, ReadOnlySpan<S7ItemSpec> items)
    {
        int position = S7Header.AckLength + 2;
        for (int i = 0; i < items.Length; i++)
        {
            int length = items[i].DataLength;
            pdu[position] = (byte)S7ReturnCode.Success;
            pdu[position + 1] = 0x04; // byte/word/dword data, length in bits
            pdu[position + 2] = (byte)((length * 8) >> 8);
            pdu[position + 3] = (byte)(length * 8);
            for (int b = 0; b < length; b++)
            {
                pdu[position + 4 + b] = (byte)(i + b);
            }

            position += 4 + length + (i < items.Length - 1 ? length & 1 : 0);
        }

        int dataLength = position - S7Header.AckLength - 2;
        pdu[0] = 0x32;
        pdu[1] = 0x03; // Ack_Data
        pdu[4] = 0x01;
        pdu[5] = 0x02; // PDU reference
        pdu[6] = 0;
        pdu[7] = 2; // parameter length
        pdu[8] = (byte)(dataLength >> 8);
        pdu[9] = (byte)dataLength;
        pdu[S7Header.AckLength] = (byte)S7Function.ReadVar;
        pdu[S7Header.AckLength + 1] = (byte)items.Length;
        return position;
    }
}
