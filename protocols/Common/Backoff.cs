namespace EdgePartition.Protocols;

/// <summary>
/// Exponential backoff with jitter and a cap, for reconnects and restarts: after n consecutive failures the delay is
/// initial·2^n capped at <c>cap</c>, spread ±<see cref="JitterFraction"/> at random and kept within [initial, cap],
/// so peers that dropped together do not all retry in the same instant. A mutable struct with no allocation: keep
/// it in a field (not a readonly one) and do not copy it.
/// </summary>
public struct Backoff
{
    /// <summary>How far each delay is spread around its exponential value (±20 %).</summary>
    public const double JitterFraction = 0.2;

    // 2^30 × any sensible initial delay is far beyond any cap; stops the doubling from overflowing.
    private const int MaxExponent = 30;

    private readonly long _initialTicks;
    private readonly long _capTicks;
    private readonly TimeSpan _stableAfter;
    private readonly Random _random;
    private int _failures;

    /// <param name="initial">The first delay (and the smallest).</param>
    /// <param name="cap">The largest delay.</param>
    /// <param name="random">The jitter source: a seeded one in tests, <see cref="Random.Shared"/> when null.</param>
    /// <param name="stableAfter">
    /// A connection or process that stayed up at least this long counts as a success before the next delay (see
    /// <see cref="NextDelay(TimeSpan)"/>); <see cref="TimeSpan.MaxValue"/> (the default) never resets that way.
    /// </param>
    public Backoff(TimeSpan initial, TimeSpan cap, Random? random = null, TimeSpan? stableAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, initial);
        _initialTicks = initial.Ticks;
        _capTicks = cap.Ticks;
        _random = random ?? Random.Shared;
        _stableAfter = stableAfter ?? TimeSpan.MaxValue;
        _failures = 0;
    }

    /// <summary>Consecutive failures since the last success.</summary>
    public readonly int Failures => _failures;

    /// <summary>Counts one more failure and returns the delay before the next attempt.</summary>
    public TimeSpan NextDelay() => NextDelay(_random.NextDouble());

    /// <summary>
    /// The stable-after rule: when the thing that just failed had been up for <paramref name="upTime"/> of at least
    /// the stable period, it counts as a success first, so the delay starts over from the initial one.
    /// </summary>
    public TimeSpan NextDelay(TimeSpan upTime)
    {
        if (upTime >= _stableAfter)
        {
            _failures = 0;
        }

        return NextDelay();
    }

    /// <summary>The attempt succeeded: the next failure starts from the initial delay again.</summary>
    public void Reset() => _failures = 0;

    /// <summary>Counts one more failure; <paramref name="unit"/> in [0, 1) picks the point in the jitter band.</summary>
    internal TimeSpan NextDelay(double unit)
    {
        var exponent = Math.Min(_failures, MaxExponent);
        if (_failures < int.MaxValue)
        {
            _failures++;
        }

        var baseTicks = Math.Min((double)_capTicks, _initialTicks * Math.Pow(2, exponent));
        var spread = 1 + (JitterFraction * ((2 * unit) - 1));
        return TimeSpan.FromTicks((long)Math.Clamp(baseTicks * spread, _initialTicks, _capTicks));
    }
}
