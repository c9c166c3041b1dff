using System.Runtime.CompilerServices;
using EdgePartition.Hosting.Health;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// Runs <see cref="ICycleWork"/> periodically on a dedicated thread, at absolute deadlines (start + n × period) so
/// the period does not drift with the work's duration. <see cref="Wake"/> or an <see cref="ICycleWakeSource"/> can
/// start a cycle early (a woken cycle does not move the grid). A cycle that runs past later deadlines skips them and
/// counts them as missed rather than running a late burst. Every finished cycle reports the loop healthy, so a hung
/// cycle stops feeding systemd's watchdog.
/// </summary>
public sealed partial class CycleLoop
{
    private readonly CycleOptions _options;
    private readonly ICycleWork _work;
    private readonly ILogger _logger;
    private readonly HealthReporter? _health;
    private readonly ICycleWakeSource? _wakeSource;
    private readonly CycleRecorder _recorder;

    // A private futex word on the pinned heap: the thread sleeps on it until its deadline, Wake() and stop bump it.
    private readonly int[] _wakeWord = GC.AllocateArray<int>(1, pinned: true);
    private readonly ManualResetEventSlim _cycleDone = new();
    private readonly Action _signalCycleDone;
    private int _wakePending;
    private volatile bool _stopRequested;
    private int _started;

    public CycleLoop(CycleOptions options, ICycleWork work, ILogger logger, HealthReporter? health = null, ICycleWakeSource? wakeSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _work = work;
        _logger = logger;
        _health = health;
        _wakeSource = wakeSource;
        _recorder = new CycleRecorder(options.Name, options.Period, options.JitterWindow);
        _signalCycleDone = _cycleDone.Set;
    }

    public string Name => _options.Name;

    public CycleOptions Options => _options;

    public CycleStatistics GetStatistics() => _recorder.Snapshot();

    /// <summary>
    /// Starts the cycle thread and completes when the loop stops: normally after <paramref name="cancellationToken"/>
    /// is cancelled (the cycle in progress finishes first), faulted if the work threw. Call once.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"cycle '{Name}' is already running");
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopRegistration = cancellationToken.Register(static state => ((CycleLoop)state!).RequestStop(), this);
        var thread = new Thread(() =>
        {
            try
            {
                Run(cancellationToken);
                completion.TrySetResult();
            }
            catch (Exception ex)
            {
                LogCycleFailed(_logger, ex, Name);
                _health?.ReportUnhealthy($"cycle failed: {ex.Message}");
                completion.TrySetException(ex);
            }
            finally
            {
                stopRegistration.Dispose();
            }
        })
        {
            IsBackground = true,
            Name = $"cycle {Name}",
        };
        thread.Start();
        return completion.Task;
    }

    /// <summary>Starts a cycle as soon as the current one (if any) finishes. Safe from any thread; cheap.</summary>
    public void Wake()
    {
        Volatile.Write(ref _wakePending, 1);
        BumpWakeWord();
    }

    private void RequestStop()
    {
        _stopRequested = true;
        BumpWakeWord();
    }

    private unsafe void BumpWakeWord()
    {
        Interlocked.Increment(ref _wakeWord[0]);
        PrivateFutex.Wake((int*)Unsafe.AsPointer(ref _wakeWord[0]), 1);
    }

    private void Run(CancellationToken cancellationToken)
    {
        RealTimeScheduling.MinimizeTimerSlack();
        _recorder.RealTime = RealTimeScheduling.ApplyToCurrentThread(Name, _options.RealTime, _logger);
        long period = Nanoseconds.From(_options.Period);
        long sequence = 0;
        long deadline = MonotonicClock.NowNanoseconds;
        LogCycleStarted(_logger, Name, _options.Period.TotalMilliseconds);

        while (true)
        {
            var waited = WaitUntil(deadline);
            if (waited == CycleWaitResult.StopRequested)
            {
                break;
            }

            long start = MonotonicClock.NowNanoseconds;
            CycleTick tick;
            if (waited == CycleWaitResult.DeadlineReached)
            {
                // More than a period late (the previous cycle overran): run for the latest grid point, skip the rest.
                long missed = (start - deadline) / period;
                long scheduled = deadline + (missed * period);
                _recorder.RecordStart(CycleTrigger.Scheduled, start - scheduled, missed);
                tick = new CycleTick(sequence, CycleTrigger.Scheduled, scheduled, start);
                deadline = scheduled + period;
            }
            else
            {
                _recorder.RecordStart(CycleTrigger.Woken, 0, 0);
                tick = new CycleTick(sequence, CycleTrigger.Woken, deadline, start);
            }

            var pending = _work.RunCycleAsync(tick, cancellationToken);
            if (!pending.IsCompleted)
            {
                // Asynchronous work blocks this dedicated thread; its continuations run on the pool. Waiting on an
                // event the completion sets, not on AsTask(), keeps a pooled ValueTask from costing a Task per cycle.
                _cycleDone.Reset();
                pending.GetAwaiter().UnsafeOnCompleted(_signalCycleDone);
                _cycleDone.Wait();
            }

            // Also for a synchronous completion: it returns a pooled source to its pool, or throws the cycle's error.
            pending.GetAwaiter().GetResult();

            long end = MonotonicClock.NowNanoseconds;
            _recorder.RecordDuration(end - start, overran: end - start > period);
            _health?.ReportHealthy();
            sequence++;
        }

        LogCycleStopped(_logger, Name);
    }

    private unsafe CycleWaitResult WaitUntil(long deadline)
    {
        int* word = (int*)Unsafe.AsPointer(ref _wakeWord[0]);
        while (true)
        {
            // Read the word before checking the flags: a Wake() after the checks changes it and the futex returns.
            int seen = Volatile.Read(ref *word);
            if (_stopRequested)
            {
                return CycleWaitResult.StopRequested;
            }

            if (Interlocked.Exchange(ref _wakePending, 0) != 0)
            {
                return CycleWaitResult.Woken;
            }

            long remaining = deadline - MonotonicClock.NowNanoseconds;
            if (remaining <= 0)
            {
                return CycleWaitResult.DeadlineReached;
            }

            if (_wakeSource is not null)
            {
                if (_wakeSource.WaitForWake(Nanoseconds.ToTimeSpan(remaining)))
                {
                    return _stopRequested ? CycleWaitResult.StopRequested : CycleWaitResult.Woken;
                }

                continue;
            }

            // Returns on the deadline, a wake, a signal or a word that already changed; the checks above sort it out.
            PrivateFutex.WaitUntil(word, seen, deadline);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Cycle {Cycle} started with period {PeriodMs} ms")]
    private static partial void LogCycleStarted(ILogger logger, string cycle, double periodMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Cycle {Cycle} stopped")]
    private static partial void LogCycleStopped(ILogger logger, string cycle);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Critical, Message = "Cycle {Cycle} failed; the process stops so it can be restarted")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception, string cycle);
}
