using System.Buffers.Binary;
using System.Text.Json.Nodes;
using EdgePartition.Consumers.Endpoints;
using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Consumers.Tests.Endpoints;

/// <summary>The S7 endpoint over real segments, read and written by snap7's own S7Client (a node process).</summary>
public sealed class S7EndpointTests
{
    [Fact]
    public async Task Snap7ClientReadsDeviceTagsAndMergedImage()
    {
        using var partition = new EndpointPartition(readOnly: true);
        using var plc = partition.CreateWriter("plc1", EndpointPartition.PlcTags);
        using var sync = partition.CreateWriter("sync", EndpointPartition.SyncTags);
        var layout = SegmentLayout.Create(EndpointPartition.PlcTags);
        plc.SetInt32(layout.IndexOf("counter"), -123456);
        plc.SetFloat32(layout.IndexOf("speed"), 12.5f);
        plc.SetBool(layout.IndexOf("running"), true);
        plc.SetFloat64(layout.IndexOf("level"), 42.25);
        plc.SetInt16(layout.IndexOf("setpoint"), 300);
        plc.SetInt16(layout.IndexOf("levels"), 3, -2);
        plc.SetString(layout.IndexOf("batch"), "Ab\u00e9");
        plc.SetBytes(layout.IndexOf("share"), [1, 2, 3, 4, 5, 6, 7, 8]);
        plc.Commit();
        var image = new byte[48];
        image[40] = 0xAA;
        image[47] = 0x55;
        sync.SetRaw(SegmentLayout.Create(EndpointPartition.SyncTags).IndexOf("image"), 0, image);
        sync.Commit();

        var service = new S7EndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);
        await EndpointRun.UntilAsync(() => service.Published >= 2, "both segments published");

        var report = await Snap7ClientProcess.RunAsync(endPoint.Port, [Snap7ClientProcess.DbRead(1001, 0, 48), Snap7ClientProcess.DbRead(1, 0, 48)]);
        var db = Hex(report, 0);
        Assert.Equal(-123456, BinaryPrimitives.ReadInt32BigEndian(db));
        Assert.Equal(12.5f, BinaryPrimitives.ReadSingleBigEndian(db[4..]));
        Assert.Equal(1, db[8]);
        Assert.Equal(42.25, BinaryPrimitives.ReadDoubleBigEndian(db[10..]));
        Assert.Equal(300, BinaryPrimitives.ReadInt16BigEndian(db[18..]));
        Assert.Equal(-2, BinaryPrimitives.ReadInt16BigEndian(db[26..]));
        Assert.Equal(new byte[] { 8, 3, (byte)'A', (byte)'b', 0xE9 }, db[28..33]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, db[38..46]);
        Assert.Equal(image, Hex(report, 1));
    }

    [Fact]
    public async Task ReadOnlyEndpointRefusesWritesAndKeepsItsData()
    {
        using var partition = new EndpointPartition(readOnly: true);
        using var plc = partition.CreateWriter("plc1", EndpointPartition.PlcTags);
        plc.SetInt16(SegmentLayout.Create(EndpointPartition.PlcTags).IndexOf("setpoint"), 300);
        plc.Commit();
        var queue = partition.CreateQueue("plc1");

        var service = new S7EndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);
        await EndpointRun.UntilAsync(() => service.Published >= 1, "plc1 published");

        var report = await Snap7ClientProcess.RunAsync(endPoint.Port,
            [Snap7ClientProcess.DbWrite(1001, 18, [0x01, 0xF4]), Snap7ClientProcess.DbRead(1001, 18, 2)]);
        AssertRefused(report, 0);
        Assert.Equal(300, BinaryPrimitives.ReadInt16BigEndian(Hex(report, 1)));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task WritableEndpointQueuesWritesToWritableTagsInSegmentEncoding()
    {
        using var partition = new EndpointPartition(readOnly: false);
        using var plc = partition.CreateWriter("plc1", EndpointPartition.PlcTags);
        plc.Commit();
        var queue = partition.CreateQueue("plc1");
        var layout = SegmentLayout.Create(EndpointPartition.PlcTags);

        var service = new S7EndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);

        var report = await Snap7ClientProcess.RunAsync(endPoint.Port,
        [
            Snap7ClientProcess.DbWrite(1001, 18, [0x01, 0xF4]),                       // setpoint = 500
            Snap7ClientProcess.DbWrite(1001, 28, [8, 2, (byte)'O', 0xE9]),             // batch = "Oé"
            Snap7ClientProcess.DbWrite(1001, 40, [0xCA, 0xFE]),                        // share bytes 2..3
            Snap7ClientProcess.DbWrite(1001, 0, [0, 0, 0, 1]),                         // counter: not writable
            Snap7ClientProcess.DbWrite(1001, 19, [0x05]),                              // half of setpoint
            Snap7ClientProcess.DbWrite(1, 0, [0x05, 0x06]),                            // the merged image
            Snap7ClientProcess.DbRead(1001, 18, 2),
            new { op = "writeArea", area = "DB", db = 1001, start = 46 * 8, amount = 1, wordLen = "bit", hex = "01" },  // enable (DBX46.0)
            new { op = "writeArea", area = "DB", db = 1001, start = (46 * 8) + 1, amount = 1, wordLen = "bit", hex = "01" },  // DBX46.1
        ]);
        Assert.True((bool)report["results"]![0]!["ok"]!, Snap7ClientProcess.Describe(report));
        Assert.True((bool)report["results"]![1]!["ok"]!, Snap7ClientProcess.Describe(report));
        Assert.True((bool)report["results"]![2]!["ok"]!, Snap7ClientProcess.Describe(report));
        AssertRefused(report, 3);
        AssertRefused(report, 4);
        AssertRefused(report, 5);

        // The served block is untouched: the value comes back through the device segment after the collector wrote it.
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(Hex(report, 6)));
        Assert.True((bool)report["results"]![7]!["ok"]!, Snap7ClientProcess.Describe(report));
        AssertRefused(report, 8);

        var request = new WriteRequest();
        Assert.True(queue.TryDequeue(request, TestTimeouts.Default));
        Assert.Equal((layout.IndexOf("setpoint"), 0), (request.TagIndex, request.ByteOffset));
        Assert.Equal(new byte[] { 0xF4, 0x01 }, request.Value.ToArray());
        Assert.Equal(EndpointWriteRouter.Origin, request.Origin);
        Assert.True(queue.TryDequeue(request, TestTimeouts.Default));
        Assert.Equal((layout.IndexOf("batch"), 0), (request.TagIndex, request.ByteOffset));
        Assert.Equal("O\u00e9"u8.ToArray(), request.Value.ToArray());
        Assert.True(queue.TryDequeue(request, TestTimeouts.Default));
        Assert.Equal((layout.IndexOf("share"), 2), (request.TagIndex, request.ByteOffset));
        Assert.Equal(new byte[] { 0xCA, 0xFE }, request.Value.ToArray());
        Assert.True(queue.TryDequeue(request, TestTimeouts.Default));
        Assert.Equal((layout.IndexOf("enable"), 0), (request.TagIndex, request.ByteOffset));
        Assert.Equal(new byte[] { 1 }, request.Value.ToArray());
        Assert.False(queue.TryDequeue(request, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task FollowsASegmentThatAppearsLateAndIsReplacedByANewLayout()
    {
        using var partition = new EndpointPartition(readOnly: true);
        var service = new S7EndpointService(partition.Config, NullLogger.Instance, portOverride: 0);
        await using var run = await EndpointRun.StartAsync(service);
        var endPoint = await service.Started.WaitAsync(TestTimeouts.Default);

        // The collector starts after the endpoint: the segment is picked up when it appears.
        var first = partition.CreateWriter("plc1", EndpointPartition.PlcTags);
        first.SetInt32(0, 7);
        first.Commit();
        await EndpointRun.UntilAsync(() => service.Published >= 1, "the late segment published");

        // A new layout (a tag fewer) is renamed over the old file: the old one is superseded and the endpoint re-attaches.
        first.Dispose();
        var second = partition.CreateWriter("plc1", EndpointPartition.PlcTags[..^1]);
        second.SetInt32(0, 8);
        second.Commit();
        await EndpointRun.UntilAsync(() => ServedInt32(service, 1001) == 8, "the new segment's value served");

        var report = await Snap7ClientProcess.RunAsync(endPoint.Port, [Snap7ClientProcess.DbRead(1001, 0, 4)]);
        Assert.Equal(8, BinaryPrimitives.ReadInt32BigEndian(Hex(report, 0)));
    }

    private static int ServedInt32(S7EndpointService service, int db)
    {
        Span<byte> bytes = stackalloc byte[4];
        service.ReadBlock(db, bytes);
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    private static byte[] Hex(JsonObject report, int index)
    {
        var result = report["results"]![index]!;
        Assert.True((bool)result["ok"]!, Snap7ClientProcess.Describe(report));
        return Convert.FromHexString((string)result["hex"]!);
    }

    /// <summary>snap7 reports item code 0x03 (access denied) as "function refused by CPU", as a PLC without PUT/GET does.</summary>
    private static void AssertRefused(JsonObject report, int index)
    {
        var result = report["results"]![index]!;
        Assert.False((bool)result["ok"]!, Snap7ClientProcess.Describe(report));
        Assert.Contains("refused", (string)result["error"]!, StringComparison.Ordinal);
    }
}
