using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Collector.Tests;

/// <summary>The S7 driver against a real snap7 S7Server (node-snap7): reads, writes, and a server that dies and returns.</summary>
public sealed class S7CollectorTests
{
    private static readonly Snap7ServerOptions Areas = new() { Areas = [new Snap7Area("DB", 1, 64), new Snap7Area("DB", 2, 64)] };

    private static string Devices(int port) => $"""
        <s7Devices xmlns="urn:edgepartition:s7:1">
          <device name="plc1" host="127.0.0.1" port="{port}" rack="0" slot="1" timeoutMs="1000">
            <pollGroup name="main" cycleMs="50">
              <tag name="send" address="DB1.DBB0" type="BYTE" length="24"/>
              <tag name="heartbeat" address="DB1.DBW0" type="INT"/>
              <tag name="pumpRequest" address="DB1.DBX2.0" type="BOOL" writable="true"/>
              <tag name="pumpState" address="DB1.DBX2.2" type="BOOL"/>
              <tag name="speed" address="DB1.DBD4" type="DINT" writable="true"/>
              <tag name="temperature" address="DB1.DBD8" type="REAL" writable="true"/>
              <tag name="counter" address="DB1.DBW12" type="UINT"/>
              <tag name="scaled" address="DB1.DBW14" type="INT" scale="0.1" scaleOffset="-5"/>
              <tag name="energy" address="DB1.DBB16" type="LREAL"/>
              <tag name="label" address="DB1.DBB24" type="STRING" stringLength="10" writable="true"/>
              <tag name="levels" address="DB1.DBW36" type="INT" length="3"/>
            </pollGroup>
            <pollGroup name="image" cycleMs="100">
              <tag name="receive" address="DB2.DBB0" type="BYTE" length="64" writable="true"/>
            </pollGroup>
          </device>
        </s7Devices>
        """;

    private static byte[] SendBlock()
    {
        var db = new byte[64];
        BinaryPrimitives.WriteInt16BigEndian(db.AsSpan(0), -1234);
        db[2] = 0b0000_0100; // pumpState on, pumpRequest off
        BinaryPrimitives.WriteInt32BigEndian(db.AsSpan(4), 1_500_000);
        BinaryPrimitives.WriteSingleBigEndian(db.AsSpan(8), 21.5f);
        BinaryPrimitives.WriteUInt16BigEndian(db.AsSpan(12), 60000);
        BinaryPrimitives.WriteInt16BigEndian(db.AsSpan(14), 250);
        BinaryPrimitives.WriteDoubleBigEndian(db.AsSpan(16), 12345.678);
        db[24] = 10;
        db[25] = 5;
        Encoding.Latin1.GetBytes("Pumpe", db.AsSpan(26));
        BinaryPrimitives.WriteInt16BigEndian(db.AsSpan(36), 1);
        BinaryPrimitives.WriteInt16BigEndian(db.AsSpan(38), -2);
        BinaryPrimitives.WriteInt16BigEndian(db.AsSpan(40), 3);
        return db;
    }

    [Fact]
    public async Task ValuesOfSeveralTypesArriveWithGoodQuality()
    {
        await using var plc = await Snap7ServerProcess.StartAsync(Areas);
        await plc.WriteDbAsync(1, 0, SendBlock());
        using var partition = TestPartition.Create(Devices(plc.Port));
        await using var harness = WorkerHarness.Start(partition.Load(), "plc1");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plc1");

        var s = await watch.WaitAsync(s => s.GetQuality(watch.Tag("receive")) == IpcQuality.Good && s.GetQuality(watch.Tag("send")) == IpcQuality.Good, "both groups read");

        Assert.Equal(-1234, s.GetInt16(watch.Tag("heartbeat")));
        Assert.False(s.GetBool(watch.Tag("pumpRequest")));
        Assert.True(s.GetBool(watch.Tag("pumpState")));
        Assert.Equal(1_500_000, s.GetInt32(watch.Tag("speed")));
        Assert.Equal(21.5f, s.GetFloat32(watch.Tag("temperature")));
        Assert.Equal(60000, s.GetUInt16(watch.Tag("counter")));
        Assert.Equal(20.0, s.GetFloat64(watch.Tag("scaled")), 6);
        Assert.Equal(12345.678, s.GetFloat64(watch.Tag("energy")));
        Assert.Equal("Pumpe", s.GetString(watch.Tag("label")));
        Assert.Equal([1, -2, 3], Enumerable.Range(0, 3).Select(i => (int)s.GetInt16(watch.Tag("levels"), i)));
        Assert.Equal(SendBlock().AsSpan(0, 24).ToArray(), s.GetBytes(watch.Tag("send")).ToArray());
        Assert.Equal(64, s.GetBytes(watch.Tag("receive")).Length);
        Assert.Equal(ConnectionState.Connected, s.Status.State);
        Assert.Equal($"127.0.0.1:{plc.Port}", s.Status.GetEndpoint());
        Assert.True(s.Status.BytesIn > 0 && s.Status.BytesOut > 0);
        Assert.Equal(0ul, s.Status.ReadsFailed);
    }

    [Fact]
    public async Task WriteRequestsLandInTheSnap7DbAndTheirResultsArePublished()
    {
        await using var plc = await Snap7ServerProcess.StartAsync(Areas);
        await plc.WriteDbAsync(1, 0, SendBlock());
        using var partition = TestPartition.Create(Devices(plc.Port));
        await using var harness = WorkerHarness.Start(partition.Load(), "plc1");
        using var watch = await SegmentWatch.OpenAsync(partition.Name, "plc1");
        await watch.WaitAsync(s => s.GetQuality(watch.Tag("speed")) == IpcQuality.Good, "first read");
        using var queue = WriteQueue.Open(TestPartition.ShmDirectory, partition.Name, "plc1");
        var timeout = TimeSpan.FromSeconds(5);

        var speed = queue.TryEnqueue(watch.Tag("speed"), 0, BitConverter.GetBytes(-42), "test", timeout);
        var temperature = queue.TryEnqueue(watch.Tag("temperature"), 0, BitConverter.GetBytes(99.5f), "test", timeout);
        var bit = queue.TryEnqueue(watch.Tag("pumpRequest"), 0, [1], "test", timeout);
        var label = queue.TryEnqueue(watch.Tag("label"), 0, "Ventil"u8.ToArray(), "test", timeout);
        var range = queue.TryEnqueue(watch.Tag("receive"), 10, [0xAA, 0xBB, 0xCC], "sync", timeout);
        var readOnly = queue.TryEnqueue(watch.Tag("counter"), 0, BitConverter.GetBytes((ushort)1), "test", timeout);

        foreach (var request in new[] { speed, temperature, bit, label, range })
        {
            var result = await watch.WaitForResultAsync(request.RequestId);
            Assert.True(result.StatusCode == IpcQuality.Good, $"request {request.RequestId}: {IpcQuality.Describe(result.StatusCode)} {result.Error}");
        }

        Assert.Equal(IpcQuality.BadNotWritable, (await watch.WaitForResultAsync(readOnly.RequestId)).StatusCode);

        var db1 = await plc.ReadDbAsync(1, 0, 40);
        Assert.Equal(-42, BinaryPrimitives.ReadInt32BigEndian(db1.AsSpan(4)));
        Assert.Equal(99.5f, BinaryPrimitives.ReadSingleBigEndian(db1.AsSpan(8)));
        Assert.Equal(0b0000_0101, db1[2]); // the request bit set, its neighbour pumpState untouched
        Assert.Equal("Ventil", Encoding.Latin1.GetString(db1.AsSpan(26, db1[25])));
        Assert.Equal(-1234, BinaryPrimitives.ReadInt16BigEndian(db1.AsSpan(0))); // nothing else written

        var db2 = await plc.ReadDbAsync(2, 0, 64);
        Assert.Equal(new byte[] { 0, 0xAA, 0xBB, 0xCC, 0 }, db2.AsSpan(9, 5).ToArray()); // just the range

        var after = await watch.WaitAsync(s => s.GetInt32(watch.Tag("speed")) == -42 && s.GetBytes(watch.Tag("receive"))[11] == 0xBB, "written values read back");
        Assert.Equal(5ul, after.Status.WritesOk);
        Assert.Equal(1ul, after.Status.WritesFailed);
    }

    [Fact]
    public async Task QualityGoesBadWhenTheServerDiesAndGoodAgainAfterItReturns()
    {
        var plc = await Snap7ServerProcess.StartAsync(Areas);
        var port = plc.Port;
        try
        {
            await plc.WriteDbAsync(1, 0, SendBlock());
            using var partition = TestPartition.Create(Devices(port));
            await using var harness = WorkerHarness.Start(partition.Load(), "plc1");
            using var watch = await SegmentWatch.OpenAsync(partition.Name, "plc1");
            int heartbeat = watch.Tag("heartbeat"), send = watch.Tag("send");
            await watch.WaitAsync(s => s.GetQuality(heartbeat) == IpcQuality.Good, "first read");

            using (var node = Process.GetProcessById(plc.ProcessId))
            {
                node.Kill();
                await node.WaitForExitAsync().WithTimeout();
            }

            var down = await watch.WaitAsync(s => IpcQuality.IsBad(s.GetQuality(heartbeat)) && s.Status.State == ConnectionState.Disconnected, "data bad after the server died");
            Assert.True(IpcQuality.IsBad(down.GetQuality(send)));
            Assert.NotEqual("", down.Status.GetLastError());
            Assert.True(down.Status.ReadsFailed >= 1);

            await plc.DisposeAsync();
            plc = await StartOnPortAsync(port);
            var block = SendBlock();
            BinaryPrimitives.WriteInt16BigEndian(block, 777);
            await plc.WriteDbAsync(1, 0, block);

            var up = await watch.WaitAsync(s => s.GetQuality(heartbeat) == IpcQuality.Good && s.GetInt16(heartbeat) == 777, "data good again after the restart");
            Assert.Equal(ConnectionState.Connected, up.Status.State);
            Assert.True(up.Status.Reconnects >= 1);
            Assert.True(up.Status.ReadsFailed >= 1);
            Assert.True(up.Status.ReadsOk >= 2);
        }
        finally
        {
            await plc.DisposeAsync();
        }
    }

    /// <summary>A new snap7 server on the port of one that died (the launcher picks ports; this one rebinds).</summary>
    private static async Task<Snap7ServerProcess> StartOnPortAsync(int port)
    {
        var script = string.Create(CultureInfo.InvariantCulture,
            $"server.Stop(); server.SetParam(server.LocalPort, {port}); if (server.StartTo('127.0.0.1') === false) throw new Error('port {port} busy');");
        // The old listener's port may linger for a moment after the kill; nothing signals its release.
        var server = await Eventually.PollAsync<Snap7ServerProcess?>(
            async () =>
            {
                try
                {
                    return await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = Areas.Areas, Script = script });
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
            },
            started => started is not null,
            $"a snap7 server listening again on port {port}",
            TestTimeouts.Process);
        return server!;
    }
}
