using System.Collections.Concurrent;
using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Health;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Tests;

public sealed class CycleLoopTests : IDisposable
{
    private static readonly TimeSpan LongPeriod = TimeSpan.FromHours(1);

    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stop = new();

    public CycleLoopTests()
    {
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
    }

    [Fact]
    public async Task ScheduledCyclesStartOnAnAbsoluteGrid()
    {
        var ticks = new ConcurrentQueue<CycleTick>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = NewLoop(TimeSpan.FromMilliseconds(2), tick =>
        {
            ticks.Enqueue(tick);
            if (ticks.Count == 20)
            {
                enough.TrySetResult();
            }
        });

        var run = loop.RunAsync(_stop.Token);
        await enough.Task.WithTimeout();
        _stop.Cancel();
        await run.WithTimeout();

        var scheduled = ticks.Where(t => t.Trigger == CycleTrigger.Scheduled).ToArray();
        long period = Nanoseconds.From(TimeSpan.FromMilliseconds(2));
        for (int i = 1; i < scheduled.Length; i++)
        {
            long step = scheduled[i].DeadlineNanoseconds - scheduled[i - 1].DeadlineNanoseconds;
            Assert.True(step > 0 && step % period == 0, $"deadline step {step} ns is not a whole number of periods");
            Assert.True(scheduled[i].StartNanoseconds >= scheduled[i].DeadlineNanoseconds, "a cycle started before its deadline");
        }

        Assert.Equal(Enumerable.Range(0, ticks.Count).Select(i => (long)i), ticks.Select(t => t.Sequence));
    }

    [Fact]
    public async Task WakeStartsACycleLongBeforeTheDeadline()
    {
        var woken = new TaskCompletionSource<CycleTick>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = NewLoop(LongPeriod, tick =>
        {
            if (tick.Trigger == CycleTrigger.Woken)
            {
                woken.TrySetResult(tick);
            }
            else
            {
                first.TrySetResult();
            }
        });

        var run = loop.RunAsync(_stop.Token);
        await first.Task.WithTimeout(); // the first scheduled cycle runs at start
        loop.Wake();
        var tick = await woken.Task.WithTimeout();

        Assert.True(tick.DeadlineNanoseconds > tick.StartNanoseconds, "a woken cycle runs ahead of the next deadline");
        Assert.Equal(TimeSpan.Zero, tick.Lateness);
        var statistics = loop.GetStatistics();
        Assert.Equal(1, statistics.WokenCycles);
        Assert.Equal(1, statistics.WindowSamples);
        _stop.Cancel();
        await run.WithTimeout();
    }

    [Fact]
    public async Task AnExternalWakeSourceStartsCycles()
    {
        using var events = new SemaphoreSlim(0);
        var wakeSource = new SemaphoreWakeSource(events);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = NewLoop(TimeSpan.FromSeconds(2), tick =>
        {
            if (tick.Trigger == CycleTrigger.Woken)
            {
                woken.TrySetResult();
            }
        }, wakeSource);

        var run = loop.RunAsync(_stop.Token);
        events.Release();
        await woken.Task.WithTimeout();
        _stop.Cancel();
        await run.WithTimeout();

        Assert.True(loop.GetStatistics().WokenCycles >= 1);
    }

    [Fact]
    public async Task StopsPromptlyWhileWaitingForADistantDeadline()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = NewLoop(LongPeriod, _ => first.TrySetResult());

        var run = loop.RunAsync(_stop.Token);
        await first.Task.WithTimeout();
        _stop.Cancel();

        await run.WithTimeout(); // the futex wait is woken by the stop, not by the hour-long deadline
        Assert.Equal(1, loop.GetStatistics().Cycles);
    }

    [Fact]
    public async Task AnOverrunSkipsTheDeadlinesItPassedInsteadOfBursting()
    {
        var period = TimeSpan.FromMilliseconds(5);
        var ticks = new ConcurrentQueue<CycleTick>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = NewLoop(period, tick =>
        {
            ticks.Enqueue(tick);
            if (tick.Sequence == 1)
            {
                Thread.Sleep(period * 8); // the slow cycle being simulated, not a wait for something
            }

            if (tick.Sequence == 3)
            {
                done.TrySetResult();
            }
        });

        var run = loop.RunAsync(_stop.Token);
        await done.Task.WithTimeout();
        _stop.Cancel();
        await run.WithTimeout();

        // Asserted on the loop's own deadlines, not on how late the machine let it start: the cycle after the overrun
        // jumps several grid points ahead, and every point jumped over is counted as missed, none run as a burst.
        var statistics = loop.GetStatistics();
        Assert.True(statistics.Overruns >= 1);
        long periodNs = Nanoseconds.From(period);
        var all = ticks.ToArray();
        Assert.All(all, t => Assert.Equal(CycleTrigger.Scheduled, t.Trigger));
        long jumped = 0;
        for (int i = 1; i < all.Length; i++)
        {
            long step = all[i].DeadlineNanoseconds - all[i - 1].DeadlineNanoseconds;
            Assert.True(step > 0 && step % periodNs == 0, $"deadline step {step} ns is not a whole number of periods");
            jumped += (step / periodNs) - 1;
        }

        Assert.True(all[2].DeadlineNanoseconds - all[1].DeadlineNanoseconds >= 8 * periodNs,
            "the cycle after the overrun takes the deadline the overrun reached, not the next one in line");
        // The first cycle may also count misses: its grid starts at the loop's start, which a busy machine can delay.
        Assert.True(statistics.MissedDeadlines >= jumped, $"missed {statistics.MissedDeadlines}, deadlines jumped over {jumped}");
        Assert.True(statistics.MaxDuration >= period * 8, "the slow cycle's duration is recorded"); // a lower bound the sleep guarantees
    }

    [Fact]
    public async Task WorkThatThrowsFaultsTheLoopAndMarksItUnhealthy()
    {
        var health = new ProcessHealth();
        var reporter = health.Register("cycle boom", TimeSpan.FromMinutes(1));
        var loop = new CycleLoop(
            new CycleOptions { Name = "boom", Period = TimeSpan.FromMilliseconds(1) },
            CycleWork.From(tick =>
            {
                if (tick.Sequence == 2)
                {
                    throw new InvalidOperationException("device table corrupt");
                }
            }),
            _loggerFactory.CreateLogger("test"),
            reporter);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.RunAsync(_stop.Token).WithTimeout());

        Assert.Equal("device table corrupt", failure.Message);
        Assert.False(health.IsHealthy);
        Assert.Contains("device table corrupt", ProcessHealth.Describe(reporter));
        Assert.Equal(LogLevel.Critical, (await _logs.WaitForEvent(1003).WithTimeout()).Level);
    }

    [Fact]
    public async Task AsynchronousWorkIsAwaitedBeforeTheNextCycle()
    {
        int running = 0;
        int overlaps = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new CycleLoop(
            new CycleOptions { Name = "async", Period = TimeSpan.FromMilliseconds(1) },
            CycleWork.From(async (tick, ct) =>
            {
                if (Interlocked.Increment(ref running) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Decrement(ref running);
                if (tick.Sequence == 10)
                {
                    done.TrySetResult();
                }
            }),
            _loggerFactory.CreateLogger("test"));

        var run = loop.RunAsync(_stop.Token);
        await done.Task.WithTimeout();
        _stop.Cancel();
        await run.WithTimeout();

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task StatisticsOrderPercentilesAndCountTheWindow()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new CycleLoop(
            new CycleOptions { Name = "stats", Period = TimeSpan.FromMilliseconds(1), JitterWindow = 16 },
            CycleWork.From(tick =>
            {
                if (tick.Sequence == 40)
                {
                    done.TrySetResult();
                }
            }),
            _loggerFactory.CreateLogger("test"));

        var run = loop.RunAsync(_stop.Token);
        await done.Task.WithTimeout();
        _stop.Cancel();
        await run.WithTimeout();

        var statistics = loop.GetStatistics();
        Assert.Equal(16, statistics.WindowSamples);
        Assert.True(statistics.Cycles >= 41);
        Assert.True(statistics.JitterP50 <= statistics.JitterP99 && statistics.JitterP99 <= statistics.JitterMax);
        Assert.Equal(RealTimeState.NotRequested, statistics.RealTime);
        Assert.StartsWith("stats 1ms jitter p50 ", statistics.ToSummary());
    }

    [Theory]
    [InlineData(new long[] { 5 }, 0.5, 5)]
    [InlineData(new long[] { 1, 2, 3, 4 }, 0.5, 2)]
    [InlineData(new long[] { 1, 2, 3, 4 }, 0.99, 4)]
    [InlineData(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.9, 9)]
    public void PercentileIsNearestRank(long[] sorted, double p, long expected)
        => Assert.Equal(expected, CycleRecorder.Percentile(sorted, p));

    [Fact]
    public async Task AnImpossibleCpuAffinityFallsBackWithAWarning()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new CycleLoop(
            new CycleOptions
            {
                Name = "pinned",
                Period = LongPeriod,
                RealTime = new RealTimeOptions { CpuAffinity = [1023] },
            },
            CycleWork.From(_ => first.TrySetResult()),
            _loggerFactory.CreateLogger("test"));

        var run = loop.RunAsync(_stop.Token);
        await first.Task.WithTimeout();
        _stop.Cancel();
        await run.WithTimeout();

        Assert.Equal(RealTimeState.Fallback, loop.GetStatistics().RealTime);
        var warning = await _logs.WaitForEvent(1104).WithTimeout();
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("1023", warning.Message);
    }

    [Fact]
    public async Task SchedFifoIsAppliedOrExplainedWhenRefused()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new CycleLoop(
            new CycleOptions
            {
                Name = "fifo",
                Period = LongPeriod,
                RealTime = new RealTimeOptions { Priority = 10, CpuAffinity = [0] },
            },
            CycleWork.From(_ => first.TrySetResult()),
            _loggerFactory.CreateLogger("test"));

        var run = loop.RunAsync(_stop.Token);
        await first.Task.WithTimeout();
        _stop.Cancel();
        await run.WithTimeout();

        // Root (or CAP_SYS_NICE) gets SCHED_FIFO; an unprivileged run must fall back and say why.
        var state = loop.GetStatistics().RealTime;
        if (state == RealTimeState.Applied)
        {
            Assert.Contains(_logs.Entries, e => e.EventId == 1101);
        }
        else
        {
            Assert.Equal(RealTimeState.Fallback, state);
            Assert.Contains(_logs.Entries, e => e.EventId is 1102 or 1103 && e.Level == LogLevel.Warning);
        }
    }

    [Theory]
    [InlineData(0, 1000, null)]
    [InlineData(10, 0, null)]
    [InlineData(10, 1000, 100)]
    public void RejectsInvalidOptions(int periodMs, int window, int? priority)
    {
        var options = new CycleOptions
        {
            Name = "bad",
            Period = TimeSpan.FromMilliseconds(periodMs),
            JitterWindow = window,
            RealTime = priority is null ? null : new RealTimeOptions { Priority = priority },
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new CycleLoop(options, CycleWork.From(_ => { }), _loggerFactory.CreateLogger("test")));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _loggerFactory.Dispose();
    }

    private CycleLoop NewLoop(TimeSpan period, Action<CycleTick> work, ICycleWakeSource? wakeSource = null)
        => new(new CycleOptions { Name = "test", Period = period }, CycleWork.From(work), _loggerFactory.CreateLogger("test"), wakeSource: wakeSource);

    private sealed class SemaphoreWakeSource(SemaphoreSlim events) : ICycleWakeSource
    {
        public bool WaitForWake(TimeSpan timeout) => events.Wait(timeout);
    }
}
