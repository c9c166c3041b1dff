using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// A simulated device without network: every tag follows its configured generator (counter, sine, random,
/// constant, square) from the moment the driver connects; writes to writable tags are held as the tag's value.
/// </summary>
internal sealed class SimDriver : IDeviceDriver
{
    private readonly DeviceLayout _layout;
    private readonly TagMapping[][] _groups;
    private readonly SimSignal[] _signals;
    private long _startNs;

    public SimDriver(DeviceLayout layout)
    {
        _layout = layout;
        _groups = DriverGroups.Build(layout);
        _signals = new SimSignal[layout.Tags.Count];
        for (var i = 0; i < _signals.Length; i++)
        {
            _signals[i] = new SimSignal(layout.Tags[i].Config.Simulation, seed: i + 1);
        }
    }

    public string Endpoint => "sim";

    public long BytesIn => 0;

    public long BytesOut => 0;

    public ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        if (_startNs == 0)
        {
            _startNs = MonotonicClock.NowNanoseconds;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisconnectAsync() => ValueTask.CompletedTask;

    public ValueTask<int> ReadGroupAsync(int group, SegmentWriter writer, CancellationToken cancellationToken)
    {
        var elapsed = MonotonicClock.NowNanoseconds - _startNs;
        var now = UnixTime.NowNs();
        foreach (var tag in _groups[group])
        {
            var value = _signals[tag.Index].ValueAt(elapsed);
            for (var element = 0; element < tag.ArrayLength; element++)
            {
                SegmentValues.StageNumber(writer, tag, element, value);
            }

            writer.SetSample(tag.Index, IpcQuality.Good, now);
        }

        return ValueTask.FromResult(0);
    }

    public ValueTask<WriteOutcome> WriteAsync(WriteCommand command, CancellationToken cancellationToken)
    {
        var tag = command.Tag;
        var size = SegmentValues.ElementSize(tag.SegmentType);

        // A simulated tag has one signal: the last element written wins for arrays.
        var value = command.Value.Span;
        var last = value[^size..];
        _signals[tag.Index].Override = SegmentValues.ToRaw(tag, last);
        return ValueTask.FromResult(WriteOutcome.Ok);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>For diagnostics: the layout this driver serves.</summary>
    public DeviceLayout Layout => _layout;
}
