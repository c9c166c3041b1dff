namespace EdgePartition.Hosting.Health;

/// <summary>
/// The health of a whole process: healthy when every registered <see cref="HealthReporter"/> is. systemd's watchdog
/// is fed only while this is healthy, and /healthz endpoints can answer from it too.
/// </summary>
public sealed class ProcessHealth
{
    private readonly Lock _gate = new();
    private HealthReporter[] _reporters = [];

    public HealthReporter Register(string name, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var reporter = new HealthReporter(name, timeout);
        lock (_gate)
        {
            _reporters = [.. _reporters, reporter];
        }

        return reporter;
    }

    public void Unregister(HealthReporter reporter)
    {
        lock (_gate)
        {
            _reporters = Array.FindAll(_reporters, r => !ReferenceEquals(r, reporter));
        }
    }

    public IReadOnlyList<HealthReporter> Reporters => Volatile.Read(ref _reporters);

    public bool IsHealthy => FirstUnhealthy() is null;

    /// <summary>The first part that is not healthy now, or null; used to say why the watchdog is withheld.</summary>
    public HealthReporter? FirstUnhealthy()
    {
        long now = MonotonicClock.NowNanoseconds;
        foreach (var reporter in Volatile.Read(ref _reporters))
        {
            if (!reporter.IsHealthyAt(now))
            {
                return reporter;
            }
        }

        return null;
    }

    /// <summary>"cycle 'sync' silent for 7.1 s (limit 5 s)" or the problem it reported.</summary>
    public static string Describe(HealthReporter reporter)
    {
        var problem = reporter.Problem;
        if (problem is not null)
        {
            return $"{reporter.Name}: {problem}";
        }

        var silence = reporter.SilenceAt(MonotonicClock.NowNanoseconds);
        return $"{reporter.Name} silent for {silence.TotalSeconds:0.0} s (limit {reporter.Timeout.TotalSeconds:0.###} s)";
    }
}
