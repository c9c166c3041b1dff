using System.Globalization;
using System.Net;
using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// Turns a client write on a writable endpoint into a write request on the device's queue: the bytes must fall in
/// one tag declared writable, cover whole elements, and convert to the segment's encoding. Nothing is written into
/// a segment or into the served block: the new value comes back through the device segment once the collector
/// has written it to the device.
/// </summary>
internal sealed class EndpointWriteRouter(string endpoint, string directory, string partition, PartitionAddressMap map, ILogger logger)
    : IDisposable
{
    public const string Origin = "endpoint";

    private static readonly TimeSpan EnqueueTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Producers opened on first use, one per device; guarded by its own lock.</summary>
    private readonly Dictionary<string, WriteQueue> _queues = new(StringComparer.Ordinal);

    public PartitionAddressMap Map { get; } = map;

    /// <summary>Routes a write of <paramref name="data"/> at byte <paramref name="offset"/> of <paramref name="block"/>.</summary>
    public WriteRouting Route(EndPoint? client, MappedBlock? block, int offset, ReadOnlySpan<byte> data)
    {
        if (block is not { IsDevice: true } || block.FindTag(offset) is not { } tag || !tag.Writable)
        {
            return Refuse(client, block, offset, WriteRouting.NotWritable, "no writable tag there");
        }

        Span<byte> converted = stackalloc byte[2048];
        int segmentOffset = 0, length = 0;
        var conversion = data.Length > converted.Length / 2
            ? WriteConversion.OutOfRange
            : EndpointValueCodec.Decode(tag, Map.Protocol, offset - tag.Offset, data, converted, out segmentOffset, out length);
        if (conversion != WriteConversion.Ok)
        {
            return Refuse(client, block, offset, conversion == WriteConversion.BadValue ? WriteRouting.BadValue : WriteRouting.NotWritable,
                $"{tag.Name}: {conversion}");
        }

        lock (_queues)
        {
            if (!TryGetQueue(block.Segment, out var queue, out var problem))
            {
                return Refuse(client, block, offset, WriteRouting.QueueUnavailable, problem);
            }

            var result = queue.TryEnqueue(tag.SegmentIndex, segmentOffset, converted[..length], Origin, EnqueueTimeout);
            if (!result.IsEnqueued)
            {
                return Refuse(client, block, offset, result.Status == EnqueueStatus.QueueFull ? WriteRouting.QueueFull : WriteRouting.QueueUnavailable,
                    result.Error);
            }

            EndpointLog.WriteQueued(logger, endpoint, client?.ToString(), block.Segment, tag.Name, result.RequestId);
            return WriteRouting.Queued;
        }
    }

    public WriteRouting Refuse(EndPoint? client, MappedBlock? block, int offset, WriteRouting routing, string reason)
    {
        string address = block is null ? "an unmapped address"
            : string.Create(CultureInfo.InvariantCulture, $"{block.Segment} byte {offset}");
        EndpointLog.WriteRefused(logger, endpoint, client?.ToString(), address, reason);
        return routing;
    }

    private bool TryGetQueue(string device, out WriteQueue queue, out string problem)
    {
        problem = "";
        if (_queues.TryGetValue(device, out queue!))
        {
            return true;
        }

        try
        {
            queue = WriteQueue.Open(directory, partition, device, logger);
            _queues[device] = queue;
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or SegmentFormatException or InvalidOperationException)
        {
            problem = $"write queue of {device} not available (is its collector running?): {e.Message}";
            return false;
        }
    }

    public void Dispose()
    {
        lock (_queues)
        {
            foreach (var queue in _queues.Values)
            {
                queue.Dispose();
            }

            _queues.Clear();
        }
    }
}

/// <summary>The outcome of a client write on an endpoint.</summary>
internal enum WriteRouting
{
    Queued,
    ReadOnly,
    NotWritable,
    BadValue,
    QueueFull,
    QueueUnavailable,
}
