using EdgePartition.Sync.Tests.Support;

namespace EdgePartition.Sync.Tests;

/// <summary>The `edgepart sync` process itself, without devices.</summary>
[Collection(RealPeersCollection.Name)]
public sealed class SyncProcessTests
{
    [Fact]
    public async Task SecondSyncOfAPartitionExitsWithTempFailAndTheFirstStopsCleanly()
    {
        using var partition = TestPartition.FromDemo();
        await using var first = EdgepartProcess.Start("sync", partition.PartitionFile);
        await first.WaitForLineAsync("Sync of partition");

        await using var second = EdgepartProcess.Start("sync", partition.PartitionFile);
        Assert.Equal(SyncService.ExitCodeAlreadyRunning, await second.WaitForExitAsync());
        Assert.Contains(second.Lines, l => l.Text.Contains("Another sync already runs", StringComparison.Ordinal));

        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync());
        Assert.Contains(first.Lines, l => l.Text.Contains("Sync stopped after", StringComparison.Ordinal));
    }
}
