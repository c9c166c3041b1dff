namespace EdgePartition.Hosting.Health;

/// <summary>
/// One part of a process that must keep proving it works (a cycle loop, a connection pump). It is healthy while
/// <see cref="ReportHealthy"/> was called within <see cref="Timeout"/>. Reporting is one volatile store: call it
/// from a hot loop freely.
/// </summary>
public sealed class HealthReporter
{
    private long _lastHealthyNanoseconds;
    private volatile string? _problem;

    internal HealthReporter(string name, TimeSpan timeout)
    {
        Name = name;
        Timeout = timeout;
        _lastHealthyNanoseconds = MonotonicClock.NowNanoseconds;
    }

    public string Name { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Why the part is unhealthy when it says so itself, rather than going silent.</summary>
    public string? Problem => _problem;

    public void ReportHealthy()
    {
        _problem = null;
        Volatile.Write(ref _lastHealthyNanoseconds, MonotonicClock.NowNanoseconds);
    }

    /// <summary>Marks the part unhealthy at once (a fatal state it knows about), until the next <see cref="ReportHealthy"/>.</summary>
    public void ReportUnhealthy(string problem)
    {
        _problem = problem;
        Volatile.Write(ref _lastHealthyNanoseconds, long.MinValue / 2);
    }

    /// <summary>Time since the last healthy report at <paramref name="nowNanoseconds"/>.</summary>
    public TimeSpan SilenceAt(long nowNanoseconds) => Nanoseconds.ToTimeSpan(nowNanoseconds - Volatile.Read(ref _lastHealthyNanoseconds));

    public bool IsHealthyAt(long nowNanoseconds) => _problem is null && SilenceAt(nowNanoseconds) <= Timeout;
}
