using EdgePartition.Ipc;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// One poll group of an OPC UA device: the nodes of its tags (one Read request, split by the client only beyond
/// its per-request limit) and the reused result array that <see cref="Stage"/> decodes into the segment.
/// </summary>
internal sealed class OpcUaGroupReader : IPollGroupReader
{
    private readonly OpcUaTagCodec[] _codecs;

    public OpcUaGroupReader(OpcUaTagCodec[] codecs)
    {
        _codecs = codecs;
        Nodes = new NodeId[codecs.Length];
        Results = new DataValue[codecs.Length];
        RefreshNodes();
    }

    public NodeId[] Nodes { get; }

    public DataValue[] Results { get; }

    /// <summary>Takes the codecs' current nodes (after browse paths were resolved on a new connection).</summary>
    public void RefreshNodes()
    {
        for (var i = 0; i < _codecs.Length; i++)
        {
            Nodes[i] = _codecs[i].Node;
        }
    }

    public int Stage(SegmentWriter writer, long nowUnixNs)
    {
        var failed = 0;
        for (var i = 0; i < _codecs.Length; i++)
        {
            var codec = _codecs[i];
            ref readonly var result = ref Results[i];
            var quality = codec.Stage(result, writer);
            var timestamp = result.SourceTimestamp != DateTime.MinValue ? result.SourceTimestamp : result.ServerTimestamp;
            writer.SetSample(codec.Tag.Index, quality, timestamp == DateTime.MinValue ? nowUnixNs : UnixTime.ToNs(timestamp));
            if (IpcQuality.IsBad(quality))
            {
                failed++;
            }
        }

        return failed;
    }
}
