using System.Diagnostics;

namespace EdgePartition.Testing;

/// <summary>
/// Waits for something a test expects to happen, bounded by <see cref="TestTimeouts.Default"/> and failing with a
/// <see cref="TimeoutException"/> that says what was awaited. Prefer, in this order: a task or
/// <see cref="TaskCompletionSource"/> the code completes (<see cref="CompletesAsync(Task, string, TimeSpan?)"/>);
/// a change signal such as a segment's futex word (<see cref="OnChangeAsync"/>); and only where nothing signals,
/// a bounded poll (<see cref="PollAsync{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan?)"/>).
/// </summary>
public static class Eventually
{
    /// <summary>A change wait is re-armed at least this often, so state the signal does not cover is still seen.</summary>
    private static readonly TimeSpan MaxSignalSlice = TimeSpan.FromMilliseconds(250);

    // Poll back-off: quick first re-checks for fast paths, then a pace that leaves the CPU to the code under test.
    private static readonly TimeSpan FirstPollPause = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxPollPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Awaits <paramref name="task"/>; a timeout says "<paramref name="what"/> did not happen within N s".</summary>
    public static async Task CompletesAsync(Task task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var limit = timeout ?? TestTimeouts.Default;
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw NotWithin(what, limit, lastSeen: null);
        }
    }

    /// <inheritdoc cref="CompletesAsync(Task, string, TimeSpan?)"/>
    public static async Task<T> CompletesAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        await CompletesAsync((Task)task, what, timeout).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <summary>Awaits the signal <paramref name="signal"/> carries.</summary>
    public static Task CompletesAsync(TaskCompletionSource signal, string what, TimeSpan? timeout = null)
        => CompletesAsync(signal.Task, what, timeout);

    /// <summary>Awaits the value <paramref name="signal"/> carries.</summary>
    public static Task<T> CompletesAsync<T>(TaskCompletionSource<T> signal, string what, TimeSpan? timeout = null)
        => CompletesAsync(signal.Task, what, timeout);

    /// <summary>
    /// Checks <paramref name="condition"/> each time <paramref name="waitForChange"/> returns, for state in shared
    /// memory that announces its changes (a segment reader's <c>WaitForChange</c>, a futex word). The wait blocks,
    /// so this runs on a pool thread. <paramref name="waitForChange"/> gets the longest it may sleep and returns
    /// when something changed or that time passed (its result is not needed: the condition is checked either way).
    /// </summary>
    public static Task OnChangeAsync(Func<bool> condition, Action<TimeSpan> waitForChange, string what, Func<string>? lastSeen = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(waitForChange);
        var limit = timeout ?? TestTimeouts.Default;
        return Task.Run(() =>
        {
            long start = Stopwatch.GetTimestamp();
            while (!condition())
            {
                var left = limit - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero)
                {
                    throw NotWithin(what, limit, lastSeen?.Invoke());
                }

                waitForChange(left < MaxSignalSlice ? left : MaxSignalSlice);
            }
        });
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="condition"/> holds on its result, pausing with a short
    /// back-off in between. Only for state nothing signals (an HTTP endpoint, a PLC's memory, a file appearing).
    /// </summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? TestTimeouts.Default;
        long start = Stopwatch.GetTimestamp();
        var pause = FirstPollPause;
        while (true)
        {
            var last = await probe().ConfigureAwait(false);
            if (condition(last))
            {
                return last;
            }

            if (Stopwatch.GetElapsedTime(start) >= limit)
            {
                throw NotWithin(what, limit, Describe(last));
            }

            await Task.Delay(pause).ConfigureAwait(false);
            pause = pause * 2 < MaxPollPause ? pause * 2 : MaxPollPause;
        }
    }

    /// <inheritdoc cref="PollAsync{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan?)"/>
    public static Task<T> PollAsync<T>(Func<T> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
        => PollAsync(() => Task.FromResult(probe()), condition, what, timeout);

    /// <inheritdoc cref="PollAsync{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan?)"/>
    public static Task PollAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
        => PollAsync(() => Task.FromResult(condition()), static held => held, what, timeout);

    private static TimeoutException NotWithin(string what, TimeSpan limit, string? lastSeen)
        => new($"{what}: did not happen within {limit.TotalSeconds:0.#} s" + (lastSeen is null ? "" : $"; last seen {lastSeen}"));

    private static string? Describe<T>(T value) => value switch
    {
        bool => null,
        byte[] bytes => Convert.ToHexString(bytes),
        null => "null",
        _ => value.ToString(),
    };
}
