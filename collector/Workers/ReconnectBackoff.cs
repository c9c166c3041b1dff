namespace EdgePartition.Collector.Workers;

/// <summary>
/// Bounded exponential back-off with jitter for reconnect attempts: min·2^n capped at max, each delay spread
/// ±20 % so devices that dropped together do not all retry in the same instant.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, int seed)
{
    private const double Jitter = 0.2;
    private readonly Random _random = new(seed);
    private int _failures;

    /// <summary>Consecutive failed attempts since the last success.</summary>
    public int Failures => _failures;

    /// <summary>The delay before the next attempt after one more failure.</summary>
    public TimeSpan NextDelay()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var baseTicks = Math.Min((double)max.Ticks, min.Ticks * Math.Pow(2, exponent));
        var spread = 1 + (Jitter * ((2 * _random.NextDouble()) - 1));
        return TimeSpan.FromTicks((long)Math.Clamp(baseTicks * spread, min.Ticks, max.Ticks));
    }

    public void Reset() => _failures = 0;
}
