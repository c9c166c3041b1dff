using EdgePartition.Ipc;
using EdgePartition.Sync.Liveness;
using EdgePartition.Sync.Requests;
using EdgePartition.Sync.WriteBack;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync.Segment;

/// <summary>
/// The sync segment, written only by sync: merged image, server heartbeat, alive flags and stale times, the
/// request table and write-back counters as tags (names in <see cref="SyncSegmentTags"/>), cycle counters, times and
/// jitter in the writer status. Tag indices are resolved once; publishing a cycle allocates nothing.
/// </summary>
internal sealed class SyncSegment : IDisposable
{
    private readonly SegmentWriter _writer;
    private readonly int _heartbeat;
    private readonly int _image;
    private readonly int[] _alive;
    private readonly int[] _staleSince;
    private readonly int[] _quality;
    private readonly int[] _requestBase;
    private readonly int[] _receiverBase;

    /// <summary>Tags per request/ack pair, consecutive from its state tag.</summary>
    private const int RequestTagCount = 7;

    public SyncSegment(string directory, string partition, IReadOnlyList<DeviceAliveness> devices, IReadOnlyList<RequestAckTracker> requests, IReadOnlyList<ReceiverWriter> receivers, int imageSize, ILogger logger)
    {
        var tags = new List<TagDescriptor>
        {
            SyncSegmentTags.HeartbeatTag(),
            SyncSegmentTags.ImageTag(imageSize),
        };
        foreach (var device in devices)
        {
            tags.Add(new TagDescriptor(SyncSegmentTags.Alive(device.Name), IpcDataType.Bool));
            tags.Add(new TagDescriptor(SyncSegmentTags.StaleSince(device.Name), IpcDataType.DateTime));
            tags.Add(new TagDescriptor(SyncSegmentTags.Quality(device.Name), IpcDataType.UInt32));
        }

        foreach (var request in requests)
        {
            tags.Add(new TagDescriptor(SyncSegmentTags.RequestState(request.Name), IpcDataType.UInt8));
            tags.Add(new TagDescriptor(SyncSegmentTags.RequestedAt(request.Name), IpcDataType.DateTime));
            tags.Add(new TagDescriptor(SyncSegmentTags.ExecutedAt(request.Name), IpcDataType.DateTime));
            tags.Add(new TagDescriptor(SyncSegmentTags.AcknowledgedAt(request.Name), IpcDataType.DateTime));
            tags.Add(new TagDescriptor(SyncSegmentTags.Served(request.Name), IpcDataType.UInt64));
            tags.Add(new TagDescriptor(SyncSegmentTags.TimedOut(request.Name), IpcDataType.UInt64));
            tags.Add(new TagDescriptor(SyncSegmentTags.Withdrawn(request.Name), IpcDataType.UInt64));
        }

        foreach (var receiver in receivers)
        {
            tags.Add(new TagDescriptor(SyncSegmentTags.WritesEnqueued(receiver.Device), IpcDataType.UInt64));
            tags.Add(new TagDescriptor(SyncSegmentTags.FullRefreshes(receiver.Device), IpcDataType.UInt64));
            tags.Add(new TagDescriptor(SyncSegmentTags.WritesRefused(receiver.Device), IpcDataType.UInt64));
            tags.Add(new TagDescriptor(SyncSegmentTags.WritesFailed(receiver.Device), IpcDataType.UInt64));
        }

        var layout = SegmentLayout.Create(tags);
        _writer = SegmentWriter.Create(directory, partition, SyncSegmentTags.SegmentName, layout, logger);
        _heartbeat = layout.IndexOf(SyncSegmentTags.Heartbeat);
        _image = layout.IndexOf(SyncSegmentTags.Image);
        _alive = new int[devices.Count];
        _staleSince = new int[devices.Count];
        _quality = new int[devices.Count];
        for (var i = 0; i < devices.Count; i++)
        {
            _alive[i] = layout.IndexOf(SyncSegmentTags.Alive(devices[i].Name));
            _staleSince[i] = layout.IndexOf(SyncSegmentTags.StaleSince(devices[i].Name));
            _quality[i] = layout.IndexOf(SyncSegmentTags.Quality(devices[i].Name));
        }

        // The tags of one request (and of one receiver) are consecutive: keep the index of the first.
        _requestBase = new int[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            _requestBase[i] = layout.IndexOf(SyncSegmentTags.RequestState(requests[i].Name));
        }

        _receiverBase = new int[receivers.Count];
        for (var i = 0; i < receivers.Count; i++)
        {
            _receiverBase[i] = layout.IndexOf(SyncSegmentTags.WritesEnqueued(receivers[i].Device));
        }

        _writer.Status.SetState(ConnectionState.Connecting, UnixTime.NowNs());
        _writer.Status.SetEndpoint("sync");
        _writer.Commit();
    }

    public string Path => _writer.Path;

    public ref WriterStatus Status => ref _writer.Status;

    public void PublishImage(ReadOnlySpan<byte> image, ulong heartbeat, uint imageQuality, long nowUnixNs)
    {
        _writer.SetUInt64(_heartbeat, heartbeat);
        _writer.SetSample(_heartbeat, IpcQuality.Good, nowUnixNs);
        image.CopyTo(_writer.GetValueSpan(_image));
        _writer.SetSample(_image, imageQuality, nowUnixNs);
    }

    public void PublishDevice(int index, DeviceAliveness device, long nowUnixNs)
    {
        _writer.SetBool(_alive[index], device.Alive);
        _writer.SetDateTime(_staleSince[index], device.StaleSinceUnixNs);
        _writer.SetUInt32(_quality[index], device.Quality);
        _writer.SetSample(_alive[index], IpcQuality.Good, nowUnixNs);
        _writer.SetSample(_staleSince[index], IpcQuality.Good, nowUnixNs);
        _writer.SetSample(_quality[index], IpcQuality.Good, nowUnixNs);
    }

    public void PublishRequest(int index, RequestAckTracker request, long nowUnixNs)
    {
        var tag = _requestBase[index];
        _writer.SetUInt8(tag, (byte)request.State);
        _writer.SetDateTime(tag + 1, request.RequestedAtUnixNs);
        _writer.SetDateTime(tag + 2, request.ExecutedAtUnixNs);
        _writer.SetDateTime(tag + 3, request.AcknowledgedAtUnixNs);
        _writer.SetUInt64(tag + 4, request.Served);
        _writer.SetUInt64(tag + 5, request.TimedOut);
        _writer.SetUInt64(tag + 6, request.Withdrawn);
        for (var i = 0; i < RequestTagCount; i++)
        {
            _writer.SetSample(tag + i, IpcQuality.Good, nowUnixNs);
        }
    }

    public void PublishReceiver(int index, ReceiverWriter receiver, long nowUnixNs)
    {
        var tag = _receiverBase[index];
        _writer.SetUInt64(tag, receiver.Enqueued);
        _writer.SetUInt64(tag + 1, receiver.FullRefreshes);
        _writer.SetUInt64(tag + 2, receiver.Refused);
        _writer.SetUInt64(tag + 3, receiver.Failed);
        for (var i = 0; i < 4; i++)
        {
            _writer.SetSample(tag + i, IpcQuality.Good, nowUnixNs);
        }
    }

    public void Commit() => _writer.Commit();

    public void Heartbeat() => _writer.Heartbeat();

    /// <summary>Commits state Stopped and releases the lease (the file stays for readers).</summary>
    public void Dispose() => _writer.Dispose();
}
