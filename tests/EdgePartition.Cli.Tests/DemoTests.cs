using EdgePartition.Ipc;

namespace EdgePartition.Cli.Tests;

/// <summary>
/// `edgepart demo` end to end, as a user runs it: virtual PLCs, collectors, sync and consumers as real processes;
/// the test watches the partition through its real /dev/shm segments.
/// </summary>
public sealed class DemoTests
{
    private static readonly TimeSpan Patience = TestTimeouts.Process;

    [Fact]
    public async Task DemoConnectsEveryPlcAndServesPumpRequests()
    {
        int[] ports = [DemoPartitionFiles.FreeTcpPort(), DemoPartitionFiles.FreeTcpPort(), DemoPartitionFiles.FreeTcpPort()];
        using var files = DemoPartitionFiles.Create(ports);
        await using var demo = EdgepartProcess.Start("demo", "--partition", files.PartitionFile);
        await demo.WaitForLineAsync(l => l.Text.Contains("dashboard", StringComparison.Ordinal), Patience);

        var sync = await OpenWhenPresentAsync(files.Partition, "sync");
        var snapshot = sync.CreateSnapshot();
        var served = sync.Layout.IndexOf("request.plc2Pump.served");
        string[] alive = ["alive.plc1", "alive.plc2", "alive.plc3"];
        await Eventually.OnChangeAsync(
            () =>
            {
                Assert.False(demo.HasExited, demo.Output);
                return sync.TryReadSnapshot(snapshot)
                    && snapshot.GetUInt64(served) > 0
                    && Array.TrueForAll(alive, name => snapshot.GetBool(sync.Layout.IndexOf(name)));
            },
            slice => sync.WaitForChange(snapshot.ChangeSequence, slice),
            "every PLC alive and a pump request served, in the sync segment",
            timeout: Patience);

        foreach (var plc in new[] { "plc1", "plc2", "plc3" })
        {
            using var device = SegmentReader.Open(SegmentNames.DefaultDirectory, files.Partition, plc);
            var deviceSnapshot = device.CreateSnapshot();
            Assert.True(device.TryReadSnapshot(deviceSnapshot));
            Assert.Equal(ConnectionState.Connected, deviceSnapshot.Status.State);
        }

        sync.Dispose();
        demo.Terminate();
        Assert.Equal(0, await demo.WaitForExitAsync(Patience));
    }

    private static async Task<SegmentReader> OpenWhenPresentAsync(string partition, string name)
    {
        // Nothing signals a segment file appearing: poll for it.
        var reader = await Eventually.PollAsync(
            () =>
            {
                try
                {
                    return SegmentReader.Open(SegmentNames.DefaultDirectory, partition, name);
                }
                catch (Exception e) when (e is FileNotFoundException or SegmentFormatException)
                {
                    return null;
                }
            },
            opened => opened is not null,
            $"segment {partition}/{name} created",
            Patience);
        return reader!;
    }
}
