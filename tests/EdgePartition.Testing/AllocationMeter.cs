using System.Diagnostics;
using System.Reflection;

namespace EdgePartition.Testing;

/// <summary>
/// Measures the managed bytes a steady-state operation allocates. Counted process-wide (replies continue on the
/// client's receive loop, not on the calling thread), so callers run in a collection without parallel tests.
/// Shared by the protocol test projects (Modbus, S7).
/// </summary>
public static class AllocationMeter
{
    /// <summary>
    /// Below the size of the smallest object (24 bytes on 64-bit): an average under it means no object per operation,
    /// while a stray allocation of the runtime (a timer, tiering) during the loop stays well inside it.
    /// </summary>
    public const double NoObjectPerOperation = 8;

    private static readonly TimeSpan OperationTimeout = TestTimeouts.Default;

    /// <summary>
    /// The bound for one steady-state operation of the code in <paramref name="code"/>: no object in an optimized
    /// (Release, as tests/run.sh builds) assembly. A Debug build compiles every async state machine as a class, one
    /// object per async call, so there the bound only catches a buffer or a task per exchange creeping in.
    /// </summary>
    public static double NoObjectBound(Assembly code, int exchangesPerOperation = 1) =>
        code.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true ? 2048.0 * exchangesPerOperation : NoObjectPerOperation;

    /// <summary>
    /// Average bytes per call of <paramref name="operation"/>, the worse of two callers: an async loop on the thread
    /// pool (continuations stay on the receive loop), and a dedicated thread that blocks on every call like the
    /// collector's cycle loop (every call starts on that thread and finishes on another, so pooled async state
    /// machines cross threads). Each is warmed up, then the lowest of a few rounds counts: background allocations
    /// by the runtime only ever add.
    /// </summary>
    public static async Task<double> BytesPerCallAsync(Func<ValueTask> operation, int calls = 1000, int warmUp = 300, int rounds = 3)
    {
        var pooled = await Task.Run(async () =>
        {
            for (var i = 0; i < warmUp; i++)
            {
                await operation().ConfigureAwait(false);
            }

            var lowest = double.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < calls; i++)
                {
                    await operation().ConfigureAwait(false);
                }

                lowest = Math.Min(lowest, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls);
            }

            return lowest;
        }).WaitAsync(TimeSpan.FromSeconds(120));

        var blocking = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                blocking.SetResult(MeasureBlocking(operation, calls, warmUp, rounds));
            }
            catch (Exception error)
            {
                blocking.SetException(error);
            }
        })
        { IsBackground = true, Name = "allocation meter" };
        thread.Start();
        return Math.Max(pooled, await blocking.Task.WaitAsync(TimeSpan.FromSeconds(120)));
    }

    private static double MeasureBlocking(Func<ValueTask> operation, int calls, int warmUp, int rounds)
    {
        using var replied = new ManualResetEventSlim();
        Action signal = replied.Set;
        void CallAndWait()
        {
            // Waits without AsTask(), which would allocate a task per call of its own.
            var pending = operation();
            if (!pending.IsCompleted)
            {
                replied.Reset();
                pending.GetAwaiter().UnsafeOnCompleted(signal);
                if (!replied.Wait(OperationTimeout))
                {
                    throw new TimeoutException($"an operation took longer than {OperationTimeout}");
                }
            }

            pending.GetAwaiter().GetResult();
        }

        for (var i = 0; i < warmUp; i++)
        {
            CallAndWait();
        }

        var lowest = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < calls; i++)
            {
                CallAndWait();
            }

            lowest = Math.Min(lowest, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls);
        }

        return lowest;
    }
}
