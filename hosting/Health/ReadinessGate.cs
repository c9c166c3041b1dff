namespace EdgePartition.Hosting.Health;

/// <summary>One condition of <see cref="ProcessReadiness"/>; opening it twice is harmless.</summary>
public sealed class ReadinessGate : IDisposable
{
    private readonly ProcessReadiness _readiness;
    private int _opened;

    internal ReadinessGate(ProcessReadiness readiness, string name)
    {
        _readiness = readiness;
        Name = name;
    }

    public string Name { get; }

    public void Open()
    {
        if (Interlocked.Exchange(ref _opened, 1) == 0)
        {
            _readiness.Open(Name);
        }
    }

    public void Dispose() => Open();
}
