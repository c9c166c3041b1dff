namespace EdgePartition.Modbus.Client;

/// <summary>
/// Bounded exponential backoff with jitter: after n consecutive failures wait min·2^(n-1), capped at max, then
/// ±20 % at random so many collectors restarted together do not reconnect in lockstep.
/// </summary>
internal struct ReconnectBackoff(TimeSpan min, TimeSpan max)
{
    private int _failures;

    public readonly int ConsecutiveFailures => _failures;

    /// <summary>TimeProvider timestamp before which no new attempt is made; 0 when none is pending.</summary>
    public long NextAttempt { get; private set; }

    public TimeSpan OnFailure(TimeProvider time)
    {
        _failures++;
        var exponent = Math.Min(_failures - 1, 30);
        var delayTicks = Math.Min(max.Ticks, min.Ticks * (1L << Math.Min(exponent, 20)));
        var jittered = TimeSpan.FromTicks((long)(delayTicks * (0.8 + 0.4 * Random.Shared.NextDouble())));
        NextAttempt = time.GetTimestamp() + (long)(jittered.TotalSeconds * time.TimestampFrequency);
        return jittered;
    }

    /// <summary>A connect succeeded: no wait before the next one, but failures still count until it proves useful.</summary>
    public void ClearDelay() => NextAttempt = 0;

    public void OnSuccess()
    {
        _failures = 0;
        NextAttempt = 0;
    }
}
