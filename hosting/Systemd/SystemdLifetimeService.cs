using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Systemd;

/// <summary>
/// Speaks for the process to systemd: READY=1 once the host started and every readiness gate opened, STATUS= with
/// the process status and cycle jitter, STOPPING=1 when shutdown begins, and WATCHDOG=1 every half watchdog interval
/// but only while <see cref="ProcessHealth"/> is healthy, so a hung cycle gets the process restarted.
/// </summary>
internal sealed partial class SystemdLifetimeService(
    SystemdNotifier notifier,
    ProcessReadiness readiness,
    ProcessHealth health,
    ProcessStatus status,
    CycleLoops cycles,
    IHostApplicationLifetime lifetime,
    PartitionHostOptions options,
    ILogger<SystemdLifetimeService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<CancellationTokenRegistration> _registrations = [];
    private Task _supervision = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(lifetime.ApplicationStarted.Register(readiness.MarkHostStarted));
        _registrations.Add(lifetime.ApplicationStopping.Register(OnStopping));
        _ = readiness.WhenReady.ContinueWith(_ => OnReady(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var watchdogInterval = options.WatchdogInterval ?? SystemdWatchdog.IntervalFromEnvironment();
        if (notifier.IsEnabled)
        {
            LogNotifying(logger, notifier.NotifySocket!, watchdogInterval?.TotalSeconds ?? 0);
        }

        _supervision = SuperviseAsync(watchdogInterval, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _supervision.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnReady()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        notifier.Notify("READY=1\nSTATUS=" + status.Text.ReplaceLineEndings(" "));
        LogReady(logger, options.Identity.ToString());
    }

    private void OnStopping()
    {
        notifier.Notify("STOPPING=1\nSTATUS=stopping");
    }

    /// <summary>One timer for the watchdog (half its interval, as systemd recommends) and the status refresh.</summary>
    private async Task SuperviseAsync(TimeSpan? watchdogInterval, CancellationToken stoppingToken)
    {
        var tick = watchdogInterval is { } interval ? Min(interval / 2, options.StatusRefresh) : options.StatusRefresh;
        using var timer = new PeriodicTimer(tick, options.TimeProvider);
        long lastStatus = options.TimeProvider.GetTimestamp();
        bool withheld = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (watchdogInterval is not null)
                {
                    withheld = FeedWatchdog(withheld);
                }

                if (options.TimeProvider.GetElapsedTime(lastStatus) >= options.StatusRefresh && readiness.IsReady)
                {
                    lastStatus = options.TimeProvider.GetTimestamp();
                    notifier.Status(DescribeStatus());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private bool FeedWatchdog(bool withheldBefore)
    {
        var unhealthy = health.FirstUnhealthy();
        if (unhealthy is null)
        {
            notifier.Watchdog();
            if (withheldBefore)
            {
                LogWatchdogResumed(logger);
            }

            return false;
        }

        if (!withheldBefore)
        {
            LogWatchdogWithheld(logger, ProcessHealth.Describe(unhealthy));
        }

        return true;
    }

    private string DescribeStatus()
    {
        var text = status.Text;
        foreach (var cycle in cycles.Snapshot())
        {
            text += "; " + cycle.ToSummary();
        }

        return text;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Notifying systemd at {NotifySocket}, watchdog every {WatchdogSeconds} s (0: off)")]
    private static partial void LogNotifying(ILogger logger, string notifySocket, double watchdogSeconds);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "{Process} ready")]
    private static partial void LogReady(ILogger logger, string process);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "Withholding the systemd watchdog: {Reason}. systemd restarts the process if this lasts")]
    private static partial void LogWatchdogWithheld(ILogger logger, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Healthy again: feeding the systemd watchdog")]
    private static partial void LogWatchdogResumed(ILogger logger);
}
