using System.Text.Json.Nodes;
using EdgePartition.Consumers.Endpoints;
using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Consumers.Tests.Endpoints;

/// <summary>The Modbus endpoint over real segments, read and written by pymodbus's client (a python process).</summary>
public sealed class ModbusEndpointTests
{
    private const int IllegalFunction = 1;
    private const int IllegalDataAddress = 2;
    private const int IllegalDataValue = 3;

    [Fact]
    public async Task PymodbusReadsDeviceTagsAndImageInHoldingAndInputRegisters()
    {
        using var partition = new EndpointPartition(readOnly: true);
        using var plc = partition.CreateWriter("plc1", EndpointPartition.PlcTags);
        using var meter = partition.CreateWriter("meter", EndpointPartition.MeterTags);
        using var sync = partition.CreateWriter("sync", EndpointPartition.SyncTags);
        var layout = SegmentLayout.Create(EndpointPartition.PlcTags);
        plc.SetInt32(layout.IndexOf("counter"), 0x12345678);
        plc.SetBool(layout.IndexOf("running"), true);
        plc.SetInt16(layout.IndexOf("setpoint"), -5);
        plc.SetString(layout.IndexOf("batch"), "ABC");
        plc.Commit();
        meter.SetFloat32(0, 1.5f);
        meter.SetUInt16(1, 65000);
        meter.Commit();
        var image = new byte[48];
        image[0] = 0x01;
        image[1] = 0x02;
        sync.SetRaw(1, 0, image);
        sync.Commit();

        var service = new ModbusEndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);
        await EndpointRun.UntilAsync(() => service.Published >= 3, "three segments published");

        var report = await PymodbusClientProcess.RunAsync(endPoint.Port,
        [
            PymodbusClientProcess.Holding(1000, 23),
            PymodbusClientProcess.Input(1000, 23),
            PymodbusClientProcess.Holding(2000, 3),
            PymodbusClientProcess.Input(0, 2),
        ]);
        var plcRegisters = Registers(report, 0);
        Assert.Equal(plcRegisters, Registers(report, 1));
        Assert.Equal([0x1234, 0x5678], plcRegisters[0..2]);
        Assert.Equal(1, plcRegisters[4]);                              // running: one register
        Assert.Equal(65531, plcRegisters[9]);                          // setpoint -5
        Assert.Equal([0x4142, 0x4300, 0, 0], plcRegisters[14..18]);    // batch: packed characters
        Assert.Equal([0x3FC0, 0, 65000], Registers(report, 2));        // meter: float32 1.5, uint16
        Assert.Equal([0x0102, 0], Registers(report, 3));
    }

    [Fact]
    public async Task KeepsLastValuesWhenTheWriterStops()
    {
        using var partition = new EndpointPartition(readOnly: true);
        var meter = partition.CreateWriter("meter", EndpointPartition.MeterTags);
        meter.SetUInt16(1, 777);
        meter.Commit();

        var service = new ModbusEndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);
        await EndpointRun.UntilAsync(() => service.Published >= 1, "meter published");

        // Stopping commits state Stopped with every tag's value in place; the endpoint serves them on (quality: HTTP API).
        int before = service.Published;
        meter.Dispose();
        await EndpointRun.UntilAsync(() => service.Published > before, "the stop commit published");

        var report = await PymodbusClientProcess.RunAsync(endPoint.Port, [PymodbusClientProcess.Holding(2002, 1)]);
        Assert.Equal([777], Registers(report, 0));
    }

    [Fact]
    public async Task ReadOnlyEndpointRefusesEveryWriteWithIllegalFunction()
    {
        using var partition = new EndpointPartition(readOnly: true);
        var queue = partition.CreateQueue("meter");
        var service = new ModbusEndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);

        var report = await PymodbusClientProcess.RunAsync(endPoint.Port,
            [PymodbusClientProcess.WriteSingle(2002, 7), PymodbusClientProcess.Write(2002, 7), PymodbusClientProcess.Holding(2002, 1)]);
        Assert.Equal(IllegalFunction, Exception(report, 0));
        Assert.Equal(IllegalFunction, Exception(report, 1));
        Assert.Equal([0], Registers(report, 2));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task WritableEndpointQueuesWritableTagsAndRefusesTheRest()
    {
        using var partition = new EndpointPartition(readOnly: false);
        var plcQueue = partition.CreateQueue("plc1");
        var meterQueue = partition.CreateQueue("meter");
        var service = new ModbusEndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);

        var report = await PymodbusClientProcess.RunAsync(endPoint.Port,
        [
            PymodbusClientProcess.WriteSingle(2002, 1234),      // meter.limit
            PymodbusClientProcess.Write(1022, 1),               // plc1.enable (BOOL, one register)
            PymodbusClientProcess.Write(1014, 0x4F4B, 0),       // plc1.batch = "OK"
            PymodbusClientProcess.Write(1000, 0, 1),            // plc1.counter: not writable
            PymodbusClientProcess.Write(1022, 2),               // a BOOL of 2
            PymodbusClientProcess.Write(0, 1),                  // the merged image
            PymodbusClientProcess.Coil(0, true),                // no coils are mapped
            PymodbusClientProcess.Write(1009, 1, 2),            // setpoint and the register after it
        ]);
        Assert.True((bool)report["results"]![0]!["ok"]!, report.ToJsonString());
        Assert.True((bool)report["results"]![1]!["ok"]!, report.ToJsonString());
        Assert.True((bool)report["results"]![2]!["ok"]!, report.ToJsonString());
        Assert.Equal(IllegalDataAddress, Exception(report, 3));
        Assert.Equal(IllegalDataValue, Exception(report, 4));
        Assert.Equal(IllegalDataAddress, Exception(report, 5));
        Assert.Equal(IllegalDataAddress, Exception(report, 6));
        Assert.Equal(IllegalDataAddress, Exception(report, 7));

        var request = new WriteRequest();
        Assert.True(meterQueue.TryDequeue(request, TestTimeouts.Default));
        Assert.Equal((1, 0), (request.TagIndex, request.ByteOffset));
        Assert.Equal(new byte[] { 0xD2, 0x04 }, request.Value.ToArray());
        Assert.Equal(EndpointWriteRouter.Origin, request.Origin);

        var layout = SegmentLayout.Create(EndpointPartition.PlcTags);
        Assert.True(plcQueue.TryDequeue(request, TestTimeouts.Default));
        Assert.Equal((layout.IndexOf("enable"), 0), (request.TagIndex, request.ByteOffset));
        Assert.Equal(new byte[] { 1 }, request.Value.ToArray());
        Assert.True(plcQueue.TryDequeue(request, TestTimeouts.Default));
        Assert.Equal(layout.IndexOf("batch"), request.TagIndex);
        Assert.Equal("OK"u8.ToArray(), request.Value.ToArray());
        Assert.False(plcQueue.TryDequeue(request, TimeSpan.FromMilliseconds(100)));
    }

    private static int[] Registers(JsonObject report, int index)
    {
        var result = report["results"]![index]!;
        Assert.True((bool)result["ok"]!, report.ToJsonString());
        return result["registers"]!.AsArray().Select(r => (int)r!).ToArray();
    }

    private static int Exception(JsonObject report, int index)
    {
        var result = report["results"]![index]!;
        Assert.False((bool)result["ok"]!, report.ToJsonString());
        return (int)result["exception"]!;
    }
}
