using EdgePartition.Ipc;

namespace EdgePartition.Collector.Tests;

public sealed class SimCollectorTests
{
    private const string Devices = """
        <simDevices xmlns="urn:edgepartition:sim:1">
          <device name="sim1">
            <pollGroup name="fast" cycleMs="20">
              <tag name="counter" type="int32" generator="counter" periodMs="20" min="0" max="1000000"/>
              <tag name="setpoint" type="int16" generator="constant" value="42" writable="true"/>
              <tag name="level" type="float64" generator="constant" value="10" scale="2" scaleOffset="1"/>
            </pollGroup>
            <pollGroup name="slow" cycleMs="100">
              <tag name="wave" type="float32" generator="sine" periodMs="1000" min="-1" max="1"/>
              <tag name="enabled" type="bool" generator="constant" value="1" writable="true"/>
            </pollGroup>
          </device>
        </simDevices>
        """;

    [Fact]
    public async Task SimValuesArriveWithGoodQualityAndAdvance()
    {
        using var partition = TestPartition.Create(Devices);
        await using var harness = WorkerHarness.Start(partition.Load(), "sim1");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "sim1");
        int counter = watch.Tag("counter"), setpoint = watch.Tag("setpoint"), level = watch.Tag("level"), enabled = watch.Tag("enabled");

        var first = await watch.WaitAsync(s => s.GetQuality(counter) == IpcQuality.Good && s.GetQuality(enabled) == IpcQuality.Good, "first poll of both groups");
        var firstCount = first.GetInt32(counter);
        Assert.Equal(42, first.GetInt16(setpoint));
        Assert.Equal(21.0, first.GetFloat64(level));
        Assert.True(first.GetBool(enabled));
        Assert.Equal(ConnectionState.Connected, first.Status.State);
        Assert.Equal("sim", first.Status.GetEndpoint());
        Assert.True(first.GetSourceTimestamp(counter) > 0);

        var later = await watch.WaitAsync(s => s.GetInt32(counter) > firstCount, "the counter advancing");
        Assert.True(later.Status.ReadsOk >= 2);
        Assert.True(later.Status.CycleCount >= 2);
    }

    [Fact]
    public async Task WriteToWritableTagIsHeldAndItsResultPublished()
    {
        using var partition = TestPartition.Create(Devices);
        await using var harness = WorkerHarness.Start(partition.Load(), "sim1");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "sim1");
        var setpoint = watch.Tag("setpoint");
        await watch.WaitAsync(s => s.GetQuality(setpoint) == IpcQuality.Good, "first poll");

        using var queue = WriteQueue.Open(TestPartition.ShmDirectory, partition.Name, "sim1");
        var enqueued = queue.TryEnqueue(setpoint, 0, BitConverter.GetBytes((short)-7), "test", TimeSpan.FromSeconds(5));
        Assert.True(enqueued.IsEnqueued, enqueued.Error);

        var result = await watch.WaitForResultAsync(enqueued.RequestId);
        Assert.Equal(IpcQuality.Good, result.StatusCode);
        Assert.Equal(setpoint, result.TagIndex);
        Assert.True(result.DoneUnixNs >= result.StartedUnixNs && result.StartedUnixNs >= result.EnqueuedUnixNs);
        var after = await watch.WaitAsync(s => s.GetInt16(setpoint) == -7, "the written setpoint");
        Assert.True(after.Status.WritesOk >= 1);
    }

    [Fact]
    public async Task WritesToReadOnlyOrMisshapenTargetsAreRefusedWithReasons()
    {
        using var partition = TestPartition.Create(Devices);
        await using var harness = WorkerHarness.Start(partition.Load(), "sim1");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "sim1");
        using var queue = WriteQueue.Open(TestPartition.ShmDirectory, partition.Name, "sim1");
        var timeout = TimeSpan.FromSeconds(5);

        var readOnly = queue.TryEnqueue(watch.Tag("counter"), 0, BitConverter.GetBytes(5), "test", timeout);
        var halfElement = queue.TryEnqueue(watch.Tag("setpoint"), 0, [1], "test", timeout);
        var noSuchTag = queue.TryEnqueue(999, 0, [1], "test", timeout);
        var expired = queue.TryEnqueue(watch.Tag("setpoint"), 0, BitConverter.GetBytes((short)1), "test", timeout, deadlineUnixNs: 1);

        var readOnlyResult = await watch.WaitForResultAsync(readOnly.RequestId);
        Assert.Equal(IpcQuality.BadNotWritable, readOnlyResult.StatusCode);
        Assert.Contains("not writable", readOnlyResult.Error, StringComparison.Ordinal);
        Assert.Equal(IpcQuality.BadTypeMismatch, (await watch.WaitForResultAsync(halfElement.RequestId)).StatusCode);
        Assert.Equal(IpcQuality.BadOutOfRange, (await watch.WaitForResultAsync(noSuchTag.RequestId)).StatusCode);
        Assert.Equal(IpcQuality.BadTimeout, (await watch.WaitForResultAsync(expired.RequestId)).StatusCode);
        var snapshot = await watch.WaitAsync(s => s.Status.WritesFailed >= 4, "four failed writes counted");
        Assert.Equal(0ul, snapshot.Status.WritesOk);
    }

    [Fact]
    public async Task StoppedWorkerMarksSegmentStoppedAndDataOutOfService()
    {
        using var partition = TestPartition.Create(Devices);
        var harness = WorkerHarness.Start(partition.Load(), "sim1");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "sim1");
        var counter = watch.Tag("counter");
        await watch.WaitAsync(s => s.GetQuality(counter) == IpcQuality.Good, "first poll");

        await harness.DisposeAsync();

        var last = await watch.WaitAsync(s => s.Status.State == ConnectionState.Stopped, "state stopped");
        Assert.Equal(IpcQuality.BadOutOfService, last.GetQuality(counter));
        Assert.Equal(SegmentState.Stopped, watch.Reader.State);
    }
}
