using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>Lease, restart, layout change and liveness as readers see them.</summary>
public class SegmentLifecycleTests
{
    private static SegmentLayout Small(string extra = "x") => SegmentLayout.Create([new TagDescriptor(extra, IpcDataType.Int32)]);

    [Fact]
    public void SecondWriterIsRefusedWhileTheFirstHoldsTheLease()
    {
        using var scope = new ShmScope();
        using var first = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Small());
        var error = Assert.Throws<SegmentLeaseException>(() =>
            SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Small(), options: new SegmentWriterOptions { LeasePatience = TimeSpan.FromMilliseconds(50) }));
        Assert.Equal(Environment.ProcessId, error.HolderPid);
        Assert.Contains(scope.SegmentPath("dev"), error.Message);
    }

    [Fact]
    public void RestartWithSameLayoutKeepsValuesAndStartsNewEpoch()
    {
        using var scope = new ShmScope();
        ulong firstEpoch;
        using (var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Small()))
        {
            writer.SetInt32(0, 1234);
            writer.SetSample(0, IpcQuality.Good, 5);
            writer.Commit();
            firstEpoch = writer.Epoch;
        }

        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        Assert.Equal(WriterLiveness.Stopped, reader.CheckLiveness());
        using var second = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Small());
        Assert.NotEqual(firstEpoch, second.Epoch);
        Assert.False(second.RepairedTornCommit);
        Assert.Equal(WriterLiveness.Alive, reader.CheckLiveness());
        var s = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(s));
        Assert.Equal(1234, s.GetInt32(0));
        Assert.Equal(second.Epoch, s.Epoch);
    }

    [Fact]
    public void NewLayoutReplacesTheFileAndOldReadersSeeSuperseded()
    {
        using var scope = new ShmScope();
        using (var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Small("old")))
        {
            writer.Commit();
        }

        using var oldReader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var before = oldReader.ChangeSequence;
        using var writer2 = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Small("new"));
        Assert.True(oldReader.WaitForChange(before, TestTimeouts.Default));
        Assert.Equal(WriterLiveness.Superseded, oldReader.CheckLiveness());
        Assert.True(oldReader.NeedsReattach());
        using var newReader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        Assert.Equal(0, newReader.Layout.IndexOf("new"));
        Assert.False(newReader.NeedsReattach());
        var s = oldReader.CreateSnapshot();
        Assert.True(oldReader.TryReadSnapshot(s));
    }

    [Fact]
    public async Task WaitForChangeTimesOutWithoutCommitsAndWakesOnCommit()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Small());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var seen = reader.ChangeSequence;
        Assert.False(reader.WaitForChange(seen, TimeSpan.FromMilliseconds(20)));
        var waiter = Task.Run(() => reader.WaitForChange(seen, TestTimeouts.Default));
        writer.Commit();
        Assert.True(await waiter.WithTimeout());
    }

    [Fact]
    public void ListsSegmentsAndQueuesOfAPartition()
    {
        using var scope = new ShmScope();
        using var a = SegmentWriter.Create(scope.Directory, scope.Partition, "plc1", Small());
        using var b = SegmentWriter.Create(scope.Directory, scope.Partition, "sync", Small());
        using var q = WriteQueue.Create(scope.Directory, scope.Partition, "plc1", 4);
        var entries = SegmentDirectory.List(scope.Directory, scope.Partition);
        Assert.Equal(["plc1", "plc1", "plc1", "sync", "sync"], entries.Select(e => e.Name).ToArray());
        Assert.Equal(
            [SegmentFileKind.Segment, SegmentFileKind.Waiters, SegmentFileKind.WriteQueue, SegmentFileKind.Segment, SegmentFileKind.Waiters],
            entries.Select(e => e.Kind).ToArray());
    }
}
