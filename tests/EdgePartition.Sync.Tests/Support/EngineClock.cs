namespace EdgePartition.Sync.Tests.Support;

/// <summary>The time an engine test hands to <see cref="SyncEngine.RunCycle"/>: moved only by the test.</summary>
internal sealed class EngineClock
{
    public long MonotonicNs { get; private set; } = 1_000_000_000_000;

    public long UnixNs { get; private set; } = 1_790_000_000_000_000_000;

    public void Advance(TimeSpan span)
    {
        MonotonicNs += Nanoseconds.From(span);
        UnixNs += Nanoseconds.From(span);
    }
}
