namespace EdgePartition.Hosting.Cycles;

/// <summary>Adapters from delegates to <see cref="ICycleWork"/>, for small loops and tests.</summary>
public static class CycleWork
{
    public static ICycleWork From(Action<CycleTick> work) => new SyncWork(work);

    public static ICycleWork From(Func<CycleTick, CancellationToken, ValueTask> work) => new AsyncWork(work);

    private sealed class SyncWork(Action<CycleTick> work) : ICycleWork
    {
        public ValueTask RunCycleAsync(CycleTick tick, CancellationToken cancellationToken)
        {
            work(tick);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class AsyncWork(Func<CycleTick, CancellationToken, ValueTask> work) : ICycleWork
    {
        public ValueTask RunCycleAsync(CycleTick tick, CancellationToken cancellationToken) => work(tick, cancellationToken);
    }
}
