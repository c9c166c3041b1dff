using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>Writer and readers in separate processes over a real /dev/shm segment, including SIGKILL crashes.</summary>
public class CrossProcessTests
{
    [Fact]
    public async Task ReaderProcessesTakeAMillionSnapshotsWithoutOneTornRead()
    {
        using var scope = new ShmScope();
        using var writer = ChildProcess.StartHelper("stress-writer", scope.Directory, scope.Partition, "stress");
        await writer.WaitForLineAsync("ready");
        using var reader1 = ChildProcess.StartHelper("stress-reader", scope.Directory, scope.Partition, "stress", "500000", "150");
        using var reader2 = ChildProcess.StartHelper("stress-reader", scope.Directory, scope.Partition, "stress", "500000", "150");
        var done1 = await reader1.WaitForLineAsync("done", TimeSpan.FromSeconds(170));
        var done2 = await reader2.WaitForLineAsync("done", TimeSpan.FromSeconds(170));
        Assert.Equal(0, await writer.StopAsync());
        var stopped = await writer.WaitForLineAsync("stopped");

        Assert.Equal(0, ChildProcess.Field(done1, "inconsistent"));
        Assert.Equal(0, ChildProcess.Field(done2, "inconsistent"));
        Assert.Equal(1_000_000, ChildProcess.Field(done1, "snapshots") + ChildProcess.Field(done2, "snapshots"));
        Assert.True(ChildProcess.Field(stopped, "commits") > 1, stopped);
    }

    [Fact]
    public async Task WriterKilledMidCommitIsReportedGoneAndItsSuccessorRepairs()
    {
        using var scope = new ShmScope();
        using (var torn = ChildProcess.StartHelper("torn-writer", scope.Directory, scope.Partition, "dev"))
        {
            await torn.WaitForLineAsync("abandoned");
            await torn.WaitForExitAsync();
        }

        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var snapshot = reader.CreateSnapshot();
        Assert.False(reader.TryReadSnapshot(snapshot, maxAttempts: 100));
        Assert.Equal(WriterLiveness.Gone, reader.CheckLiveness());

        using var successor = ChildProcess.StartHelper("stress-writer", scope.Directory, scope.Partition, "dev");
        var ready = await successor.WaitForLineAsync("ready");
        Assert.Contains("repaired=True", ready);
        Assert.Equal(WriterLiveness.Alive, reader.CheckLiveness());
        Assert.True(reader.TryReadSnapshot(snapshot));
        Assert.True(Support.StressCheck.IsConsistent(snapshot));
        Assert.Equal(1UL, reader.ReadWriterInfo().RepairCount);
        Assert.Equal(0, await successor.StopAsync());
    }

    [Fact]
    public async Task WriterKilledDuringCommitsNeverYieldsATornValueAndRestartGoesOn()
    {
        using var scope = new ShmScope();
        using var writer = ChildProcess.StartHelper("stress-writer", scope.Directory, scope.Partition, "dev");
        await writer.WaitForLineAsync("ready");
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var snapshot = reader.CreateSnapshot();
        var seen = reader.ChangeSequence;
        long good = 0;
        for (var i = 0; i < 2000; i++)
        {
            Assert.True(reader.WaitForChange(seen, TestTimeouts.Default));
            if (reader.TryReadSnapshot(snapshot))
            {
                seen = snapshot.ChangeSequence;
                Assert.True(Support.StressCheck.IsConsistent(snapshot));
                good++;
            }
        }

        await writer.KillAsync();
        Assert.Equal(WriterLiveness.Gone, reader.CheckLiveness());
        Assert.False(reader.WaitForChange(reader.ChangeSequence, TimeSpan.FromMilliseconds(50)));

        using var restarted = ChildProcess.StartHelper("stress-writer", scope.Directory, scope.Partition, "dev");
        await restarted.WaitForLineAsync("ready");
        Assert.Equal(WriterLiveness.Alive, reader.CheckLiveness());
        using var giveUp = new CancellationTokenSource(TestTimeouts.Default);
        var afterRestart = 0;
        while (afterRestart < 1000 && !giveUp.IsCancellationRequested)
        {
            if (reader.TryReadSnapshot(snapshot))
            {
                Assert.True(Support.StressCheck.IsConsistent(snapshot));
                afterRestart++;
            }
        }

        Assert.Equal(1000, afterRestart);
        Assert.True(good > 0);
        Assert.Equal(0, await restarted.StopAsync());
    }
}
