using System.Diagnostics;
using System.Reflection;
using System.Threading.Tasks.Sources;
using EdgePartition.Hosting.Cycles;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Hosting.Tests;

/// <summary>
/// A collector's poll completes asynchronously (on the socket's thread) through a pooled ValueTask: the loop's wait for
/// it must not cost an object per cycle on the cycle thread.
/// </summary>
public sealed class CycleLoopAllocationTests
{
    private const int Warmup = 100;
    private const int Measured = 300;

    [Fact]
    public async Task WaitingForAsynchronousCycleWorkAllocatesNothingOnTheCycleThread()
    {
        using var work = new CompletedElsewhereWork(Warmup + Measured);
        var loop = new CycleLoop(new CycleOptions { Name = "alloc", Period = TimeSpan.FromMilliseconds(1) }, work, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var run = loop.RunAsync(stop.Token);
        await work.Done.WithTimeout();
        stop.Cancel();
        await run.WithTimeout();

        // On average less than the smallest object per cycle: no object per cycle, while a one-off allocation of
        // the runtime (the event's lock on its first real sleep, tiering) stays well inside the bound.
        var allocated = work.AllocatedOnCycleThread(from: Warmup, to: Warmup + Measured);
        var bound = IsOptimized(typeof(CycleLoop).Assembly) ? AllocationMeter.NoObjectPerOperation : 256;
        Assert.True((double)allocated / Measured < bound, $"{allocated} bytes in {Measured} cycles");
    }

    private static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    /// <summary>
    /// Each cycle hands a reusable value-task source to its own completer thread, which completes it a moment later,
    /// as a socket reply would. Records the cycle thread's allocation counter at the start of every cycle.
    /// </summary>
    private sealed class CompletedElsewhereWork : ICycleWork, IValueTaskSource, IDisposable
    {
        private readonly long[] _allocatedAtStart;
        private readonly SemaphoreSlim _toComplete = new(0);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Thread _completer;
        private ManualResetValueTaskSourceCore<bool> _core;
        private volatile bool _stopping;
        private int _cycles;

        public CompletedElsewhereWork(int cycles)
        {
            _allocatedAtStart = new long[cycles];
            _core.RunContinuationsAsynchronously = false;
            _completer = new Thread(CompleteCycles) { IsBackground = true, Name = "completer" };
            _completer.Start();
        }

        public Task Done => _done.Task;

        public long AllocatedOnCycleThread(int from, int to) => _allocatedAtStart[to - 1] - _allocatedAtStart[from];

        public ValueTask RunCycleAsync(CycleTick tick, CancellationToken cancellationToken)
        {
            if (_cycles < _allocatedAtStart.Length)
            {
                _allocatedAtStart[_cycles] = GC.GetAllocatedBytesForCurrentThread();
                if (++_cycles == _allocatedAtStart.Length)
                {
                    _done.TrySetResult();
                }
            }

            _core.Reset();
            _toComplete.Release();
            return new ValueTask(this, _core.Version);
        }

        public void GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        public void Dispose()
        {
            _stopping = true;
            _toComplete.Release();
            _completer.Join(TimeSpan.FromSeconds(10));
            _toComplete.Dispose();
        }

        private void CompleteCycles()
        {
            while (true)
            {
                _toComplete.Wait();
                if (_stopping)
                {
                    return;
                }

                // Long enough that the cycle thread is already waiting when the result arrives.
                Thread.Sleep(0);
                Thread.SpinWait(2000);
                _core.SetResult(true);
            }
        }
    }
}
