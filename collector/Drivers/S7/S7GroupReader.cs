using EdgePartition.Ipc;
using EdgePartition.S7;
using EdgePartition.S7.Client;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// One poll group of an S7 device: its read items, the plan for the connection's PDU, and the reused read
/// buffer and per-range statuses. <see cref="Stage"/> decodes every tag whose range was read into the segment.
/// </summary>
internal sealed class S7GroupReader(S7TagCodec[] codecs) : IPollGroupReader
{
    private static readonly S7ReadPlanner Planner = new();
    private readonly S7ReadItem[] _items = CreateItems(codecs);
    private int _plannedPdu;

    public S7ReadPlan Plan { get; private set; } = null!;

    public byte[] Buffer { get; private set; } = [];

    public S7ReturnCode[] Statuses { get; private set; } = [];

    /// <summary>Plans the group for a negotiated PDU size (again only when it changed).</summary>
    public void PlanFor(int pduSize)
    {
        if (pduSize == _plannedPdu)
        {
            return;
        }

        Plan = Planner.Plan(_items, pduSize);
        Buffer = new byte[Plan.BufferLength];
        Statuses = new S7ReturnCode[Plan.Ranges.Length];
        _plannedPdu = pduSize;
    }

    /// <summary>Stages the tags of the last read; a tag whose range failed gets a bad quality.</summary>
    /// <returns>How many tags failed.</returns>
    public int Stage(SegmentWriter writer, long nowUnixNs)
    {
        var failed = 0;
        for (var i = 0; i < codecs.Length; i++)
        {
            var codec = codecs[i];
            var status = Statuses[Plan.GetItemRange(i)];
            if (status != S7ReturnCode.Success)
            {
                writer.SetSample(codec.Tag.Index, S7Driver.QualityOf(status), nowUnixNs);
                failed++;
                continue;
            }

            try
            {
                codec.Decode(Buffer.AsSpan(Plan.GetItemOffset(i), codec.Size), writer);
                writer.SetSample(codec.Tag.Index, IpcQuality.Good, nowUnixNs);
            }
            catch (Exception error) when (error is S7ProtocolException or ArgumentException)
            {
                // A value the PLC holds that its type cannot represent (e.g. a TIME_OF_DAY past midnight).
                writer.SetSample(codec.Tag.Index, IpcQuality.BadTypeMismatch, nowUnixNs);
                failed++;
            }
        }

        return failed;
    }

    private static S7ReadItem[] CreateItems(S7TagCodec[] codecs)
    {
        var items = new S7ReadItem[codecs.Length];
        for (var i = 0; i < codecs.Length; i++)
        {
            items[i] = new S7ReadItem(codecs[i].Area, codecs[i].DbNumber, codecs[i].ByteOffset, codecs[i].Size);
        }

        return items;
    }
}
