using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Sync.Tests.Support;

/// <summary>
/// Stands in for a device's collector in engine tests: a real <see cref="SegmentWriter"/> with the collector's S7
/// layout (BYTE[n] a Bytes block, INT Int16, DINT Int32, BOOL Bool, REAL Float32) and a real <see cref="WriteQueue"/>
/// whose requests the test executes into an in-memory copy of the device's byte blocks.
/// </summary>
internal sealed class FakeCollector : IDisposable
{
    private readonly SegmentWriter _writer;
    private readonly WriteQueue _queue;
    private readonly WriteRequest _request = new();
    private readonly Dictionary<string, byte[]> _memory = [];
    private bool _disposed;

    public FakeCollector(TestPartition partition, string device, int queueCapacity = 64)
    {
        Device = partition.Config.GetDevice(device);
        var tags = new List<TagDescriptor>();
        foreach (var tag in Device.Tags)
        {
            tags.Add(Describe(tag));
            if (tag.DataType == "BYTE" && tag.ArrayLength > 1)
            {
                _memory[tag.Name] = new byte[tag.ArrayLength];
            }
        }

        Layout = SegmentLayout.Create(tags);
        _writer = SegmentWriter.Create(partition.SegmentDirectory, partition.Name, device, Layout);
        _queue = WriteQueue.Create(partition.SegmentDirectory, partition.Name, device, queueCapacity);
    }

    public DeviceConfig Device { get; }

    public SegmentLayout Layout { get; }

    /// <summary>Every request executed so far, in order.</summary>
    public List<(string Tag, int Offset, int Length)> Executed { get; } = [];

    /// <summary>When set, executed requests are answered with this Bad status instead of Good.</summary>
    public uint? FailWith { get; set; }

    public int Pending => _queue.Count;

    public byte[] Memory(string tag) => _memory[tag];

    public void SetBlock(string tag, ReadOnlySpan<byte> bytes)
    {
        var index = Layout.IndexOf(tag);
        _writer.SetBytes(index, bytes);
        bytes.CopyTo(_memory[tag]);
        _writer.SetSample(index, IpcQuality.Good, UnixTime.NowNs());
    }

    public void SetInt16(string tag, short value)
    {
        var index = Layout.IndexOf(tag);
        _writer.SetInt16(index, value);
        _writer.SetSample(index, IpcQuality.Good, UnixTime.NowNs());
    }

    public void SetBool(string tag, bool value)
    {
        var index = Layout.IndexOf(tag);
        _writer.SetBool(index, value);
        _writer.SetSample(index, IpcQuality.Good, UnixTime.NowNs());
    }

    /// <summary>Connected, every value good; committed.</summary>
    public void Connect(bool countReconnect = false)
    {
        ref var status = ref _writer.Status;
        if (countReconnect)
        {
            status.Reconnects++;
        }

        status.SetState(ConnectionState.Connected, UnixTime.NowNs());
        _writer.SetAllQualities(IpcQuality.Good);
        Commit();
    }

    /// <summary>Disconnected, every value BadNotConnected; committed.</summary>
    public void Disconnect()
    {
        _writer.Status.SetState(ConnectionState.Disconnected, UnixTime.NowNs());
        _writer.SetAllQualities(IpcQuality.BadNotConnected);
        Commit();
    }

    public void Commit()
    {
        _writer.Status.CycleCount++;
        _writer.Commit();
        _writer.Heartbeat();
    }

    /// <summary>
    /// Executes every queued request (byte blocks into memory, single values into the segment), publishes the results
    /// and commits; returns how many.
    /// </summary>
    public int Drain()
    {
        var count = 0;
        while (_queue.TryDequeue(_request, TimeSpan.FromSeconds(1)))
        {
            var tag = Layout.Tags[_request.TagIndex];
            var now = UnixTime.NowNs();
            if (FailWith is null && _memory.TryGetValue(tag.Name, out var block))
            {
                _request.Value.CopyTo(block.AsSpan(_request.ByteOffset));
            }
            else if (FailWith is null)
            {
                // A single value (a request bit being cleared): the device now reads what was written.
                _request.Value.CopyTo(_writer.GetValueSpan(_request.TagIndex)[_request.ByteOffset..]);
                _writer.SetSample(_request.TagIndex, IpcQuality.Good, now);
            }

            Executed.Add((tag.Name, _request.ByteOffset, _request.Length));
            _writer.PublishWriteResult(new WriteResult(_request.RequestId, FailWith ?? IpcQuality.Good, _request.TagIndex, _request.EnqueuedUnixNs, now, now, FailWith is null ? "" : "refused by test"));
            count++;
        }

        Commit();
        return count;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Dispose();
        _writer.Dispose();
    }

    private static TagDescriptor Describe(TagConfig tag)
    {
        var type = tag.DataType switch
        {
            "BYTE" when tag.ArrayLength > 1 => IpcDataType.Bytes,
            "BYTE" => IpcDataType.UInt8,
            "BOOL" => IpcDataType.Bool,
            "INT" => IpcDataType.Int16,
            "DINT" => IpcDataType.Int32,
            "REAL" => IpcDataType.Float32,
            _ => throw new NotSupportedException($"the fake collector has no mapping for {tag.DataType}"),
        };
        return type == IpcDataType.Bytes
            ? new TagDescriptor(tag.Name, type, 1, tag.ArrayLength, tag.Address, tag.Writable)
            : new TagDescriptor(tag.Name, type, tag.ArrayLength, 0, tag.Address, tag.Writable);
    }
}
