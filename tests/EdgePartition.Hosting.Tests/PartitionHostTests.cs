using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Health;
using EdgePartition.Hosting.Logging;
using EdgePartition.Hosting.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Tests;

/// <summary>A real Generic Host built by <see cref="PartitionHost"/>, talking to a real notify socket.</summary>
public sealed class PartitionHostTests : IDisposable
{
    private static readonly TimeSpan WatchdogInterval = TimeSpan.FromMilliseconds(400);

    private readonly NotifySocketListener _systemd = NotifySocketListener.OnPath();
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public async Task SendsReadyOnlyAfterEveryReadinessGateOpens()
    {
        using var host = BuildHost(services => services.AddSingleton<GatedService>().AddHostedService(sp => sp.GetRequiredService<GatedService>()));
        var gated = host.Services.GetRequiredService<GatedService>();
        await host.StartAsync().WaitAsync(TestTimeouts.Default);

        // Datagrams arrive in order: a STATUS sent while the gate is closed must come before READY.
        host.Services.GetRequiredService<ProcessStatus>().Set("waiting for the segment");
        Assert.Equal("STATUS=waiting for the segment", await ReceiveExceptWatchdogAsync());
        Assert.False(host.Services.GetRequiredService<ProcessReadiness>().IsReady);
        Assert.Equal(["segment open"], host.Services.GetRequiredService<ProcessReadiness>().Pending);

        gated.Gate.Open();

        var ready = await ReceiveExceptWatchdogAsync();
        Assert.Equal(["READY=1", "STATUS=waiting for the segment"], NotifySocketListener.Assignments(ready));
        await host.StopAsync().WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task SendsStoppingWhenTheHostStops()
    {
        using var host = BuildHost(_ => { });
        await host.StartAsync().WaitAsync(TestTimeouts.Default);
        await _systemd.ReceiveUntilAsync("READY=1");

        await host.StopAsync().WaitAsync(TestTimeouts.Default);

        await _systemd.ReceiveUntilAsync("STOPPING=1");
    }

    [Fact]
    public async Task AHungCycleStopsTheWatchdogAndARecoveredOneResumesIt()
    {
        using var hang = new ManualResetEventSlim(initialState: true);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = CycleWork.From(_ =>
        {
            if (!hang.IsSet)
            {
                hung.TrySetResult();
                hang.Wait(TestTimeouts.Default); // a cycle stuck in a device call
            }
        });
        using var host = BuildHost(services => services.AddHostedService(sp => new CycleService(
            sp.GetRequiredService<CycleLoops>(),
            new CycleOptions { Name = "collector", Period = TimeSpan.FromMilliseconds(10), HealthTimeout = TimeSpan.FromMilliseconds(300) },
            work)));
        await host.StartAsync().WaitAsync(TestTimeouts.Default);

        // Healthy: the watchdog is fed repeatedly.
        await _systemd.ReceiveUntilAsync("WATCHDOG=1");
        await _systemd.ReceiveUntilAsync("WATCHDOG=1");

        // Under heavy machine load a healthy loop may have been withheld briefly already: only later decisions count.
        int before = _logs.Count;
        hang.Reset();
        await hung.Task.WithTimeout();
        var withheld = await _logs.WaitForEvent(1203, since: before).WithTimeout();
        Assert.Contains("cycle collector silent", withheld.Message);
        Assert.False(host.Services.GetRequiredService<ProcessHealth>().IsHealthy);

        // Decided and logged: whatever was sent before is queued ahead of the marker; after it nothing feeds the
        // watchdog, for several of its intervals.
        await _systemd.ReceiveUpToMarkerAsync();
        await DrainUntilQuietAsync(WatchdogInterval * 3);

        int beforeResume = _logs.Count;
        hang.Set();
        await _logs.WaitForEvent(1204, since: beforeResume).WithTimeout();
        await _systemd.ReceiveUntilAsync("WATCHDOG=1");
        await host.StopAsync().WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task StatusRefreshCarriesCycleJitter()
    {
        var work = CycleWork.From(_ => { });
        using var host = BuildHost(
            services => services.AddHostedService(sp => new CycleService(
                sp.GetRequiredService<CycleLoops>(), new CycleOptions { Name = "sync", Period = TimeSpan.FromMilliseconds(10) }, work)),
            statusRefresh: TimeSpan.FromMilliseconds(100));
        await host.StartAsync().WaitAsync(TestTimeouts.Default);
        host.Services.GetRequiredService<ProcessStatus>().Set("merging 2 devices");

        var received = await ReceiveStatusContainingAsync("sync 10ms jitter p50");

        Assert.StartsWith("STATUS=merging 2 devices; sync 10ms jitter p50 ", received);
        await host.StopAsync().WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task AFailingCycleStopsTheHost()
    {
        var work = CycleWork.From(_ => throw new InvalidOperationException("segment vanished"));
        using var host = BuildHost(services => services.AddHostedService(sp => new CycleService(
            sp.GetRequiredService<CycleLoops>(), new CycleOptions { Name = "sync", Period = TimeSpan.FromMilliseconds(10) }, work)));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());

        var exitCode = host.RunPartitionAsync();

        await stopping.Task.WithTimeout();
        await _systemd.ReceiveUntilAsync("STOPPING=1");
        Assert.Equal(PartitionHostExtensions.FailureExitCode, await exitCode.WithTimeout());
    }

    [Fact]
    public async Task ARequestedStopExitsWithZero()
    {
        using var host = BuildHost(_ => { });
        using var stop = new CancellationTokenSource();
        var exitCode = host.RunPartitionAsync(stop.Token);
        await _systemd.ReceiveUntilAsync("READY=1");

        await stop.CancelAsync();

        Assert.Equal(0, await exitCode.WithTimeout());
    }

    public void Dispose() => _systemd.Dispose();

    /// <summary>The next datagram that is not a watchdog ping (those flow from the start, independently).</summary>
    private async Task<string> ReceiveExceptWatchdogAsync()
    {
        for (int i = 0; i < 1000; i++)
        {
            var datagram = await _systemd.ReceiveAsync(TestTimeouts.Default) ?? throw new TimeoutException("no datagram from the service");
            if (datagram != "WATCHDOG=1")
            {
                return datagram;
            }
        }

        throw new InvalidOperationException("only watchdog pings arrived");
    }

    private async Task DrainUntilQuietAsync(TimeSpan quiet)
    {
        // "Nothing for several watchdog intervals" is what is tested, so this waits real time. FakeTimeProvider cannot
        // stand in: cycle health is measured on MonotonicClock (no TimeProvider), and the watchdog's PeriodicTimer
        // merges ticks that an Advance fires at once, with no signal that a tick was handled.
        while (await _systemd.ReceiveAsync(quiet) is { } datagram)
        {
            Assert.DoesNotContain("WATCHDOG=1", NotifySocketListener.Assignments(datagram));
        }
    }

    private async Task<string> ReceiveStatusContainingAsync(string text)
    {
        using var giveUp = new CancellationTokenSource(TestTimeouts.Default);
        while (await _systemd.ReceiveAsync(giveUp.Token) is { } datagram)
        {
            if (datagram.StartsWith("STATUS=", StringComparison.Ordinal) && datagram.Contains(text, StringComparison.Ordinal))
            {
                return datagram;
            }
        }

        throw new TimeoutException($"no STATUS= with '{text}'");
    }

    private IHost BuildHost(Action<IServiceCollection> configure, TimeSpan? statusRefresh = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Registered before the hosting wiring, so it replaces the NOTIFY_SOCKET lookup (tests run in parallel).
        builder.Services.AddSingleton(new SystemdNotifier(_systemd.NotifySocket));
        builder.AddPartitionHosting(new PartitionHostOptions
        {
            Identity = new ProcessIdentity(TestNames.Partition(), "test"),
            Logging = new PartitionLoggingOptions { Console = ConsoleLogFormat.None, MinimumLevel = LogLevel.Debug },
            WatchdogInterval = WatchdogInterval,
            StatusRefresh = statusRefresh ?? TimeSpan.FromSeconds(10),
        });
        builder.Logging.AddProvider(_logs);
        configure(builder.Services);
        return builder.Build();
    }

    private sealed class GatedService(ProcessReadiness readiness) : IHostedService
    {
        public ReadinessGate Gate { get; } = readiness.Register("segment open");

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class CycleService(CycleLoops cycles, CycleOptions options, ICycleWork work) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => cycles.Create(options, work).RunAsync(stoppingToken);
    }
}
