using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;
using Known = EdgePartition.Testing.Peers.PymodbusKnownData;

namespace EdgePartition.Collector.Tests;

/// <summary>The Modbus driver against Debian's pymodbus server: reads, writes, and a server that stops and restarts.</summary>
public sealed class ModbusCollectorTests
{
    // A generous timeout: on a loaded machine a slow pymodbus reply must not count as a failed read.
    private static string Devices(int port) => $"""
        <modbusDevices xmlns="urn:edgepartition:modbus:1">
          <device name="meter" host="127.0.0.1" port="{port}" unitId="1" addressBase="0" timeoutMs="3000">
            <pollGroup name="fast" cycleMs="50">
              <tag name="counting" address="holding:10" type="int16" length="5"/>
              <tag name="scaled" address="holding:50" type="int16" scale="0.5" scaleOffset="1"/>
              <tag name="setpoint" address="holding:100" type="int16" writable="true"/>
              <tag name="ratio" address="holding:200" type="float32" writable="true"/>
              <tag name="coils" address="coil:0" type="bit" length="8" writable="true"/>
              <tag name="inputs" address="discrete:0" type="bit" length="10"/>
              <tag name="input7" address="input:7" type="uint16"/>
            </pollGroup>
            <pollGroup name="typed" cycleMs="200">
              <tag name="f32" address="holding:{Known.TypedBlock(0) + Known.Float32Offset}" type="float32"/>
              <tag name="f32cdab" address="holding:{Known.TypedBlock(1) + Known.Float32Offset}" type="float32" byteOrder="CDAB"/>
              <tag name="i32" address="holding:{Known.TypedBlock(0) + Known.Int32Offset}" type="int32"/>
              <tag name="u32" address="holding:{Known.TypedBlock(0) + Known.UInt32Offset}" type="uint32"/>
              <tag name="f64" address="holding:{Known.TypedBlock(0) + Known.Float64Offset}" type="float64"/>
              <tag name="i64" address="holding:{Known.TypedBlock(0) + Known.Int64Offset}" type="int64"/>
              <tag name="u64" address="holding:{Known.TypedBlock(0) + Known.UInt64Offset}" type="uint64"/>
              <tag name="i16" address="holding:{Known.TypedBlock(0) + Known.Int16Offset}" type="int16"/>
              <tag name="u16" address="holding:{Known.TypedBlock(0) + Known.UInt16Offset}" type="uint16"/>
              <tag name="text" address="holding:{Known.TypedBlock(0) + Known.StringOffset}" type="string" stringLength="{Known.StringValue.Length}"/>
            </pollGroup>
          </device>
        </modbusDevices>
        """;

    [Fact]
    public async Task ValuesOfSeveralTypesArriveWithGoodQuality()
    {
        await using var server = await PymodbusServer.StartAsync();
        using var partition = TestPartition.Create(Devices(server.Port));
        await using var harness = WorkerHarness.Start(partition.Load(), "meter");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "meter");

        var s = await watch.WaitAsync(s => s.GetQuality(watch.Tag("text")) == IpcQuality.Good && s.GetQuality(watch.Tag("counting")) == IpcQuality.Good, "both groups read");

        Assert.Equal([10, 11, 12, 13, 14], Enumerable.Range(0, 5).Select(i => (int)s.GetInt16(watch.Tag("counting"), i)));
        Assert.Equal(26.0, s.GetFloat64(watch.Tag("scaled")));
        Assert.Equal(100, s.GetInt16(watch.Tag("setpoint")));
        Assert.Equal(Enumerable.Range(0, 8).Select(Known.Coil), Enumerable.Range(0, 8).Select(i => s.GetBool(watch.Tag("coils"), i)));
        Assert.Equal(Enumerable.Range(0, 10).Select(Known.DiscreteInput), Enumerable.Range(0, 10).Select(i => s.GetBool(watch.Tag("inputs"), i)));
        Assert.Equal(Known.InputRegister(7), s.GetUInt16(watch.Tag("input7")));
        Assert.Equal(Known.Float32Value, s.GetFloat32(watch.Tag("f32")));
        Assert.Equal(Known.Float32Value, s.GetFloat32(watch.Tag("f32cdab")));
        Assert.Equal(Known.Int32Value, s.GetInt32(watch.Tag("i32")));
        Assert.Equal(Known.UInt32Value, s.GetUInt32(watch.Tag("u32")));
        Assert.Equal(Known.Float64Value, s.GetFloat64(watch.Tag("f64")));
        Assert.Equal(Known.Int64Value, s.GetInt64(watch.Tag("i64")));
        Assert.Equal(Known.UInt64Value, s.GetUInt64(watch.Tag("u64")));
        Assert.Equal(Known.Int16Value, s.GetInt16(watch.Tag("i16")));
        Assert.Equal(Known.UInt16Value, s.GetUInt16(watch.Tag("u16")));
        Assert.Equal(Known.StringValue, s.GetString(watch.Tag("text")));
        Assert.Equal(ConnectionState.Connected, s.Status.State);
        Assert.Equal(0ul, s.Status.ReadsFailed);
        Assert.True(s.Status.BytesIn > 0);
    }

    [Fact]
    public async Task WriteRequestsLandInTheServerAndTheirResultsArePublished()
    {
        await using var server = await PymodbusServer.StartAsync();
        using var partition = TestPartition.Create(Devices(server.Port));
        await using var harness = WorkerHarness.Start(partition.Load(), "meter");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "meter");
        await watch.WaitAsync(s => s.GetQuality(watch.Tag("setpoint")) == IpcQuality.Good, "first read");
        using var queue = WriteQueue.Open(TestPartition.ShmDirectory, partition.Name, "meter");
        var timeout = TimeSpan.FromSeconds(5);

        var setpoint = queue.TryEnqueue(watch.Tag("setpoint"), 0, BitConverter.GetBytes((short)-5), "test", timeout);
        var ratio = queue.TryEnqueue(watch.Tag("ratio"), 0, BitConverter.GetBytes(0.75f), "test", timeout);
        var coil = queue.TryEnqueue(watch.Tag("coils"), 1, [1, 1], "test", timeout); // coils 1 and 2 on
        var readOnly = queue.TryEnqueue(watch.Tag("inputs"), 0, [1], "test", timeout);
        foreach (var request in new[] { setpoint, ratio, coil })
        {
            var result = await watch.WaitForResultAsync(request.RequestId);
            Assert.True(result.StatusCode == IpcQuality.Good, $"request {request.RequestId}: {IpcQuality.Describe(result.StatusCode)} {result.Error}");
        }

        Assert.Equal(IpcQuality.BadNotWritable, (await watch.WaitForResultAsync(readOnly.RequestId)).StatusCode);

        // Read back through the device: the next polls see what the server now holds.
        var after = await watch.WaitAsync(
            s => s.GetInt16(watch.Tag("setpoint")) == -5 && s.GetFloat32(watch.Tag("ratio")) == 0.75f && s.GetBool(watch.Tag("coils"), 2),
            "written values read back from the server");
        Assert.True(after.GetBool(watch.Tag("coils"), 0)); // untouched neighbours keep their values
        Assert.False(after.GetBool(watch.Tag("coils"), 4));
        Assert.Equal(3ul, after.Status.WritesOk);
        Assert.Equal(1ul, after.Status.WritesFailed);
    }

    [Fact]
    public async Task QualityGoesBadWhileTheServerIsDownAndGoodAgainAfterItRestarts()
    {
        await using var server = await PymodbusServer.StartAsync();
        using var partition = TestPartition.Create(Devices(server.Port));
        await using var harness = WorkerHarness.Start(partition.Load(), "meter");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "meter");
        var counting = watch.Tag("counting");
        await watch.WaitAsync(s => s.GetQuality(counting) == IpcQuality.Good, "first read");

        await server.StopAsync();
        var down = await watch.WaitAsync(s => IpcQuality.IsBad(s.GetQuality(counting)) && s.Status.State != ConnectionState.Connected, "data bad while the server is down");
        Assert.True(IpcQuality.IsBad(down.GetQuality(watch.Tag("text"))));
        Assert.NotEqual("", down.Status.GetLastError());

        await server.RestartAsync();
        var up = await watch.WaitAsync(s => s.GetQuality(counting) == IpcQuality.Good && s.Status.State == ConnectionState.Connected, "data good after the restart");
        Assert.Equal(10, up.GetInt16(counting));
        Assert.True(up.Status.Reconnects >= 1);
        Assert.True(up.Status.ReadsFailed >= 1);
    }
}
