using EdgePartition.Hosting.Systemd;

namespace EdgePartition.Hosting.Tests;

public sealed class SystemdNotifierTests
{
    private static readonly TimeSpan Receive = TestTimeouts.Default;

    [Fact]
    public async Task SendsEachMessageAsOneDatagramToAPathSocket()
    {
        using var systemd = NotifySocketListener.OnPath();
        using var notifier = new SystemdNotifier(systemd.NotifySocket);

        Assert.True(notifier.IsEnabled);
        Assert.True(notifier.Ready());
        Assert.True(notifier.Status("polling 3 devices\nall connected"));
        Assert.True(notifier.Watchdog());
        Assert.True(notifier.Stopping());

        Assert.Equal("READY=1", await systemd.ReceiveAsync(Receive));
        Assert.Equal("STATUS=polling 3 devices all connected", await systemd.ReceiveAsync(Receive));
        Assert.Equal("WATCHDOG=1", await systemd.ReceiveAsync(Receive));
        Assert.Equal("STOPPING=1", await systemd.ReceiveAsync(Receive));
    }

    [Fact]
    public async Task ReachesAnAbstractSocketNamedWithAt()
    {
        using var systemd = NotifySocketListener.Abstract();
        using var notifier = new SystemdNotifier(systemd.NotifySocket);

        Assert.True(notifier.Notify("READY=1\nSTATUS=up"));

        Assert.Equal("READY=1\nSTATUS=up", await systemd.ReceiveAsync(Receive));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void DoesNothingWithoutNotifySocket(string? notifySocket)
    {
        using var notifier = new SystemdNotifier(notifySocket);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Ready());
        Assert.False(notifier.Watchdog());
    }

    [Fact]
    public void ReportsFailureWhenNobodyListens()
    {
        var directory = Directory.CreateTempSubdirectory("epn").FullName;
        try
        {
            using var notifier = new SystemdNotifier(Path.Combine(directory, "gone"));
            Assert.False(notifier.Ready());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("5000000", null, 5000.0)]
    [InlineData("2000000", "4242", 2000.0)]
    [InlineData("2000000", "1", null)]
    [InlineData("0", null, null)]
    [InlineData("junk", null, null)]
    [InlineData(null, null, null)]
    public void WatchdogIntervalHonoursPidOfThisProcessOnly(string? usec, string? pid, double? expectedMs)
    {
        var interval = SystemdWatchdog.Interval(usec, pid, processId: 4242);

        Assert.Equal(expectedMs, interval?.TotalMilliseconds);
    }
}
