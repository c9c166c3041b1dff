using EdgePartition.Ipc;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// Follows one segment for one endpoint block on a dedicated thread: opens it when it appears, waits for commits
/// (FUTEX_WAIT with a bounded timeout that also drives liveness checks), encodes each snapshot into the block's
/// bytes and publishes them; re-opens when the segment is superseded. A writer that is gone or stopped leaves the
/// block's last values in place (quality is the HTTP API's business).
/// </summary>
internal sealed class SegmentFollower(string endpoint, string directory, string partition, MappedBlock block, EndpointProtocol protocol,
    IBlockPublisher publisher, ILogger logger)
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetryOpen = TimeSpan.FromMilliseconds(500);

    private readonly byte[] _image = new byte[block.Length];
    private readonly int[] _segmentIndex = new int[block.Tags.Count];
    private int _published;

    public MappedBlock Block { get; } = block;

    /// <summary>Snapshots published so far (tests wait on it).</summary>
    public int Published => Volatile.Read(ref _published);

    public Task Run(CancellationToken stopping)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Follow(stopping);
                done.SetResult();
            }
            catch (Exception e)
            {
                EndpointLog.FollowerFailed(logger, e, endpoint, Block.Segment);
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"{endpoint} {Block.Segment}",
        };
        thread.Start();
        return done.Task;
    }

    private void Follow(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            using var reader = TryOpen();
            if (reader is null)
            {
                stopping.WaitHandle.WaitOne(RetryOpen);
                continue;
            }

            FollowOpen(reader, stopping);
        }
    }

    private SegmentReader? TryOpen()
    {
        try
        {
            var reader = SegmentReader.Open(directory, partition, Block.Segment);
            Bind(reader.Layout);
            return reader;
        }
        catch (Exception e) when (e is FileNotFoundException or SegmentFormatException or IOException)
        {
            EndpointLog.NotAvailable(logger, endpoint, Block.Segment, e.Message);
            return null;
        }
    }

    /// <summary>Follows an open segment until it is superseded or the endpoint stops.</summary>
    private void FollowOpen(SegmentReader reader, CancellationToken stopping)
    {
        var snapshot = reader.CreateSnapshot();
        var liveness = WriterLiveness.Alive;
        ulong seen = 0;
        while (!stopping.IsCancellationRequested)
        {
            if (!reader.WaitForChange(seen, WaitTimeout))
            {
                var now = reader.CheckLiveness();
                if (now != liveness)
                {
                    EndpointLog.WriterLiveness(logger, endpoint, Block.Segment, now);
                    liveness = now;
                }

                if (now == WriterLiveness.Superseded)
                {
                    return;
                }

                continue;
            }

            if (!reader.TryReadSnapshot(snapshot))
            {
                continue;
            }

            seen = snapshot.ChangeSequence;
            Encode(snapshot);
            publisher.Publish(Block, _image);
            Interlocked.Increment(ref _published);
        }
    }

    private void Encode(SegmentSnapshot snapshot)
    {
        var data = snapshot.Data;
        var layout = snapshot.Layout;
        for (var i = 0; i < _segmentIndex.Length; i++)
        {
            int index = _segmentIndex[i];
            if (index < 0)
            {
                continue;
            }

            var slot = layout.Slot(index);
            EndpointValueCodec.Encode(Block.Tags[i], protocol, data.Slice(slot.ValueOffset, slot.ValueSize), _image);
        }
    }

    /// <summary>Resolves each mapped tag in the segment's table, by index and shape, else by name and shape.</summary>
    private void Bind(SegmentLayout layout)
    {
        int bound = 0;
        for (var i = 0; i < _segmentIndex.Length; i++)
        {
            var tag = Block.Tags[i];
            int index = tag.SegmentIndex >= 0 && tag.SegmentIndex < layout.TagCount && layout.Tag(tag.SegmentIndex).Name == tag.Name
                ? tag.SegmentIndex
                : layout.TryGetIndex(tag.Name, out var byName) ? byName : -1;
            if (index >= 0 && !Fits(tag, layout.Tag(index)))
            {
                index = -1;
            }

            if (index < 0)
            {
                EndpointLog.TagMismatch(logger, endpoint, Block.Segment, tag.Name);
            }
            else
            {
                bound++;
            }

            _segmentIndex[i] = index;
        }

        EndpointLog.Attached(logger, endpoint, Block.Segment, bound);
    }

    /// <summary>
    /// The segment's slot has the type the map was built for. Sync's image may be longer than the block maps (its size is
    /// sync's, and Modbus maps only what fits below the first device), never shorter.
    /// </summary>
    private bool Fits(MappedTag tag, TagDescriptor descriptor) =>
        descriptor.DataType == tag.SegmentType &&
        (Block.IsDevice ? descriptor.ArrayLength == tag.ElementCount : descriptor.ArrayLength >= tag.ElementCount) &&
        (tag.SegmentType == IpcDataType.Bytes ? descriptor.MaxLength > 0 : descriptor.MaxLength == tag.SegmentMaxLength);
}
