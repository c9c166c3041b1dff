using System.Runtime.Versioning;
using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>
/// The waiters file: commits issue FUTEX_WAKE only when a reader is counted, counted readers in other processes are
/// still woken by a commit, uncounted readers still see changes, and the file goes away with its segment.
/// </summary>
[SupportedOSPlatform("linux")]
public class WaiterCountTests
{
    private static readonly TimeSpan Patience = TestTimeouts.Default;

    private static SegmentLayout Layout() => SegmentLayout.Create([new TagDescriptor("counter", IpcDataType.Int64)]);

    [Fact]
    public void WriterCreatesAGroupWritableWaitersFileBesideTheSegment()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        var path = SegmentNames.WaitersPath(scope.SegmentPath("dev"));
        Assert.Equal(WaiterCount.FileSize, new FileInfo(path).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void CommitsWithNoCountedWaiterIssueNoWake()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var before = writer.WakesIssued;
        var sequence = reader.ChangeSequence;
        for (var i = 0; i < 100; i++)
        {
            writer.SetInt64(0, i);
            writer.Commit();
        }

        Assert.Equal(before, writer.WakesIssued);
        Assert.Equal(sequence + 100, reader.ChangeSequence);
    }

    [Fact]
    public async Task ACountedWaiterMakesTheCommitWakeAndLeavesTheCountAtZero()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        using var count = WaiterCount.TryOpen(scope.SegmentPath("dev"), out _)!;
        var seen = reader.ChangeSequence;
        var waiter = Task.Run(() => reader.WaitForChange(seen, Patience));
        await WaitUntilCounted(count, 1);
        var before = writer.WakesIssued;
        writer.Commit();

        Assert.True(await waiter.WithTimeout());
        Assert.Equal(before + 1, writer.WakesIssued);
        Assert.True(reader.IsCountedWaiter);
        Assert.Equal(0U, count.Read());
    }

    [Fact]
    public async Task AWaitingReaderInAnotherProcessIsWokenByACommit()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        using var count = WaiterCount.TryOpen(scope.SegmentPath("dev"), out _)!;
        using var child = ChildProcess.StartHelper("wait-reader", scope.Directory, scope.Partition, "dev");
        var waiting = await child.WaitForLineAsync("waiting");
        await WaitUntilCounted(count, 1);

        // The writer never heartbeats here, so only the commit's FUTEX_WAKE can end the child's 60 s wait early.
        writer.SetInt64(0, 42);
        writer.Commit();
        var woken = await child.WaitForLineAsync("woken", Patience);

        Assert.Equal(1, ChildProcess.Field(woken, "changed"));
        Assert.Equal(1, ChildProcess.Field(woken, "counted"));
        Assert.True(ChildProcess.Field(woken, "seq") > ChildProcess.Field(waiting, "seen"), woken);
        Assert.Equal(0, await child.WaitForExitAsync());
        Assert.Equal(0U, count.Read());
    }

    [Fact]
    public async Task AReaderThatCannotOpenTheWaitersFileStillSeesChanges()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        File.Delete(SegmentNames.WaitersPath(scope.SegmentPath("dev")));
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var seen = reader.ChangeSequence;
        var before = writer.WakesIssued;

        Assert.False(reader.WaitForChange(seen, TimeSpan.FromMilliseconds(1)));
        Assert.False(reader.IsCountedWaiter);
        var waiter = Task.Run(() => reader.WaitForChange(seen, Patience));
        writer.SetInt64(0, 7);
        writer.Commit();

        // No wake was issued (nobody is counted): the uncounted reader found the change by its bounded re-check.
        Assert.True(await waiter.WithTimeout());
        Assert.Equal(before, writer.WakesIssued);
        Assert.NotEqual(seen, reader.ChangeSequence);
    }

    [Fact]
    public void HeartbeatsKeepWakingWhenNobodyIsCounted()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
        var before = writer.WakesIssued;
        using var giveUp = new CancellationTokenSource(Patience);

        // Heartbeats wake at most every UnconditionalWakeIntervalNs; keep beating until one does.
        while (writer.WakesIssued == before && !giveUp.IsCancellationRequested)
        {
            writer.Heartbeat();
        }

        Assert.Equal(before + 1, writer.WakesIssued);
    }

    [Fact]
    public void DeleteRemovesTheWaitersFile()
    {
        using var scope = new ShmScope();
        var path = SegmentNames.WaitersPath(scope.SegmentPath("dev"));
        SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout()).Dispose();
        Assert.True(File.Exists(path));

        SegmentDirectory.Delete(scope.Directory, scope.Partition, "dev");

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(scope.SegmentPath("dev")));
    }

    [Fact]
    public void DeletePartitionRemovesEveryWaitersFile()
    {
        using var scope = new ShmScope();
        SegmentWriter.Create(scope.Directory, scope.Partition, "a", Layout()).Dispose();
        SegmentWriter.Create(scope.Directory, scope.Partition, "b", Layout()).Dispose();

        SegmentDirectory.DeletePartition(scope.Directory, scope.Partition);

        Assert.Empty(SegmentDirectory.List(scope.Directory, scope.Partition));
        Assert.False(File.Exists(SegmentNames.WaitersPath(scope.SegmentPath("a"))));
        Assert.False(File.Exists(SegmentNames.WaitersPath(scope.SegmentPath("b"))));
    }

    [Fact]
    public void AWriterRestartKeepsTheWaitersFileAndItsCount()
    {
        using var scope = new ShmScope();
        SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout()).Dispose();
        using var count = WaiterCount.TryOpen(scope.SegmentPath("dev"), out _)!;
        count.Enter();
        try
        {
            using var restarted = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Layout());
            var before = restarted.WakesIssued;
            restarted.Commit();

            Assert.Equal(1U, count.Read());
            Assert.Equal(before + 1, restarted.WakesIssued);
        }
        finally
        {
            count.Exit();
        }
    }

    private static async Task WaitUntilCounted(WaiterCount count, uint expected)
    {
        // Nothing signals "a process is now counted" but the count itself.
        await Eventually.PollAsync(() => count.Read() >= expected, $"{expected} reader(s) registered as waiters", Patience);
    }
}
