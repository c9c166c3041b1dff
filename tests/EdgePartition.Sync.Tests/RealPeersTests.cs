using System.Buffers.Binary;
using EdgePartition.Ipc;
using EdgePartition.Sync.Requests;
using EdgePartition.Sync.Tests.Support;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Sync.Tests;

/// <summary>
/// The whole path for real: three snap7 S7Servers with a PLC program, a real `edgepart collector` and a real
/// `edgepart sync` on loopback.
/// </summary>
[Collection(RealPeersCollection.Name)]
public sealed class RealPeersTests
{
    [Fact]
    public async Task ValueInPlcASendBlockReachesTheReceiveBlocksOfBAndCAndTheHeartbeatAdvancesEverywhere()
    {
        await using var rig = await PlcRig.StartAsync();
        await rig.StartProcessesAsync();

        await rig.Plcs[0].WriteDbAsync(PlcRig.SendDb, 4, new byte[] { 0x12, 0x34 });
        for (var plc = 1; plc < 3; plc++)
        {
            await Eventually.PollAsync(() => rig.ReceiveAsync(plc), r => r[4] == 0x12 && r[5] == 0x34, $"plc1's speed in plc{plc + 1}'s DB200");
        }

        for (var plc = 0; plc < 3; plc++)
        {
            var first = ServerHeartbeat(await rig.ReceiveAsync(plc));
            await Eventually.PollAsync(() => rig.ReceiveAsync(plc), r => ServerHeartbeat(r) != first, $"server heartbeat moving in plc{plc + 1}");
        }
    }

    [Fact]
    public async Task PumpRequestFromAIsExecutedByBAndAcknowledgedAndShownServed()
    {
        await using var rig = await PlcRig.StartAsync();
        await rig.StartProcessesAsync();
        using var sync = new SyncSegmentView(rig.Partition);

        await rig.RequestPumpAsync(0);
        await Eventually.PollAsync(() => rig.SendAsync(1), s => (s[2] & 4) != 0, "plc2 running its pump");
        await Eventually.PollAsync(() => rig.SendAsync(0), s => (s[2] & 2) != 0, "plc1 acknowledging");
        await sync.UntilAsync(s => s.RequestState("plc2Pump"), s => s == (byte)RequestAckState.Acknowledged, "plc2Pump acknowledged in the sync segment");

        Assert.Equal(1UL, sync.Counter(SyncSegmentTags.Served("plc2Pump")));
        var requested = sync.Time(SyncSegmentTags.RequestedAt("plc2Pump"));
        var executed = sync.Time(SyncSegmentTags.ExecutedAt("plc2Pump"));
        var acknowledged = sync.Time(SyncSegmentTags.AcknowledgedAt("plc2Pump"));
        Assert.True(requested > 0 && requested <= executed && executed <= acknowledged, $"{requested} {executed} {acknowledged}");
    }

    [Fact]
    public async Task UnservedRequestTimesOutAndIsClearedInTheRequesterOnlyWithWithdrawOnTimeout()
    {
        // plc2 and plc3 run no executor program, so plc1's request (plc2Pump, withdrawing) and plc2's request
        // (plc3Pump, tracked only) are never executed.
        await using var rig = await PlcRig.StartAsync(executors: [true, false, false], withdrawingPairs: ["plc2Pump"]);
        await rig.StartProcessesAsync();
        using var sync = new SyncSegmentView(rig.Partition);

        await rig.RequestPumpAsync(0);
        await rig.RequestPumpAsync(1);
        await sync.UntilAsync(s => s.RequestState("plc3Pump"), s => s == (byte)RequestAckState.Requested, "plc3Pump requested");
        await sync.UntilAsync(s => s.Counter(SyncSegmentTags.TimedOut("plc2Pump")), n => n == 1, "plc2Pump timed out");
        await sync.UntilAsync(s => s.Counter(SyncSegmentTags.TimedOut("plc3Pump")), n => n == 1, "plc3Pump timed out");

        // Withdrawing pair: sync cleared DB100.DBX2.0 in plc1 and the pair is idle again.
        await Eventually.PollAsync(() => rig.SendAsync(0), s => (s[2] & 1) == 0, "plc1's pump request cleared by sync");
        await sync.UntilAsync(s => s.RequestState("plc2Pump"), s => s == (byte)RequestAckState.Idle, "plc2Pump idle after the withdrawal");
        await sync.UntilAsync(s => s.Counter(SyncSegmentTags.Withdrawn("plc2Pump")), n => n == 1, "plc2Pump counted withdrawn");

        // Tracked-only pair: 40 sync cycles later (ample time for a write) plc2's request is still set.
        var heartbeat = sync.Heartbeat;
        await sync.UntilAsync(s => s.Heartbeat, h => h >= heartbeat + 40, "40 more sync cycles");
        Assert.Equal(1, (await rig.SendAsync(1))[2] & 1);
        Assert.Equal((byte)RequestAckState.TimedOut, sync.RequestState("plc3Pump"));
        Assert.Equal(0UL, sync.Counter(SyncSegmentTags.Withdrawn("plc3Pump")));
        Assert.Equal(0UL, sync.Counter(SyncSegmentTags.Served("plc3Pump")));
        Assert.Equal(1UL, sync.Counter(SyncSegmentTags.Withdrawn("plc2Pump")));
    }

    [Fact]
    public async Task StoppedPlcLosesItsAliveFlagElsewhereAndRecoversWithAFullRefresh()
    {
        await using var rig = await PlcRig.StartAsync();
        await rig.StartProcessesAsync();

        // plc2's program stops: its heartbeat no longer moves.
        await rig.SetProgramRunningAsync(1, running: false);
        await rig.WaitForAliveFlagsAsync(0, 0b101);
        await rig.WaitForAliveFlagsAsync(2, 0b101);

        // Nothing else stalls: plc1's data still travels to plc3.
        await rig.Plcs[0].WriteDbAsync(PlcRig.SendDb, 6, new byte[] { 0x0A, 0x0B });
        await Eventually.PollAsync(() => rig.ReceiveAsync(2), r => r[6] == 0x0A && r[7] == 0x0B, "plc1's counter in plc3 while plc2 is stale");

        // plc2 goes off the network (server stopped), loses its DB200 as after a cold restart, and comes back.
        await rig.Plcs[1].EvalAsync("server.Stop()");
        await rig.Plcs[1].WriteDbAsync(PlcRig.ReceiveDb, 0, new byte[100]);
        await rig.SetProgramRunningAsync(1, running: true);
        await rig.Plcs[1].EvalAsync("server.StartTo('127.0.0.1')");

        await rig.WaitForAliveFlagsAsync(0, 0b111);
        var refreshed = await Eventually.PollAsync(() => rig.ReceiveAsync(1), r => r[6] == 0x0A && r[7] == 0x0B && r[98] == 0b111, "the whole image back in plc2's DB200");
        Assert.Equal(0x0A, refreshed[6]);
    }

    [Fact]
    public async Task SyncStopsCleanlyOnSigterm()
    {
        await using var rig = await PlcRig.StartAsync();
        await rig.StartProcessesAsync();

        rig.Sync!.Terminate();
        Assert.Equal(0, await rig.Sync.WaitForExitAsync());

        using var reader = SegmentReader.Open(rig.Partition.SegmentDirectory, rig.Partition.Name, SyncSegmentTags.SegmentName);
        Assert.Equal(WriterLiveness.Stopped, reader.CheckLiveness());
        var snapshot = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(snapshot, maxAttempts: 1), "a half-written commit was left behind");
        foreach (var plc in new[] { "plc1", "plc2", "plc3" })
        {
            Assert.Equal(1, NamedSemaphoreValue(rig.Partition.Name, plc));
        }
    }

    [Fact]
    public async Task S7SyncWorkedExamplePutsPlcH150Db17Int0IntoDb200Int44OfEveryPlc()
    {
        var plcs = new List<Snap7ServerProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                plcs.Add(await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new Snap7Area("DB", 17, 22), new Snap7Area("DB", 200, 58)] }));
            }

            using var partition = TestPartition.FromS7SyncExample(xml => xml
                .Replace("port=\"11101\"", $"port=\"{plcs[0].Port}\"", StringComparison.Ordinal)
                .Replace("port=\"11102\"", $"port=\"{plcs[1].Port}\"", StringComparison.Ordinal)
                .Replace("port=\"11103\"", $"port=\"{plcs[2].Port}\"", StringComparison.Ordinal));
            await using var collector = EdgepartProcess.Start("collector", partition.PartitionFile, "--protocol", "s7");
            await using var sync = EdgepartProcess.Start("sync", partition.PartitionFile);

            // PLC_H150: DB17.INT0 = 1234; PLC_H110: DB17.REAL2 = 2.5 and DB17.X6.0 = true.
            await plcs[2].WriteDbAsync(17, 0, new byte[] { 0x04, 0xD2 });
            var real = new byte[4];
            BinaryPrimitives.WriteSingleBigEndian(real, 2.5f);
            await plcs[0].WriteDbAsync(17, 2, real);
            await plcs[0].WriteDbAsync(17, 6, new byte[] { 1 });
            for (var plc = 0; plc < 3; plc++)
            {
                var db200 = await Eventually.PollAsync(
                    () => plcs[plc].ReadDbAsync(200, 0, 58),
                    r => BinaryPrimitives.ReadInt16BigEndian(r.AsSpan(44)) == 1234 && BinaryPrimitives.ReadSingleBigEndian(r.AsSpan(2)) == 2.5f && (r[6] & 1) == 1,
                    $"PLC {plc + 1}'s DB200");
                var heartbeat = BinaryPrimitives.ReadInt16BigEndian(db200.AsSpan(56));
                Assert.InRange(heartbeat, (short)0, (short)255);
                await Eventually.PollAsync(() => plcs[plc].ReadDbAsync(200, 56, 2), r => BinaryPrimitives.ReadInt16BigEndian(r) != heartbeat, $"server heartbeat at DB200.INT56 of PLC {plc + 1}");
            }
        }
        finally
        {
            foreach (var plc in plcs)
            {
                await plc.DisposeAsync();
            }
        }
    }

    private static int ServerHeartbeat(byte[] receive) => BinaryPrimitives.ReadInt16BigEndian(receive.AsSpan(96));

    /// <summary>The value of a device write queue's mutex: 1 means nobody holds it.</summary>
    private static int NamedSemaphoreValue(string partition, string device)
    {
        using var semaphore = NamedSemaphore.OpenExisting(WriteQueue.MutexName(partition, device));
        return semaphore.Value;
    }
}

/// <summary>The real-peer tests start many processes; they run one at a time so the 2-core machine keeps up.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealPeersCollection
{
    public const string Name = "real peers";
}
