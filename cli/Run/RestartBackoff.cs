namespace EdgePartition.Cli.Run;

/// <summary>
/// Bounded exponential backoff with jitter for restarting a child that died: a crash loop must not spin, and a child
/// that ran for a while before dying starts over from the shortest delay.
/// </summary>
internal sealed class RestartBackoff(TimeSpan initial, TimeSpan cap, TimeSpan stableAfter)
{
    private int _failures;

    public TimeSpan NextDelay(TimeSpan lastRunTime)
    {
        if (lastRunTime >= stableAfter)
        {
            _failures = 0;
        }

        var exponent = Math.Min(_failures++, 16);
        var delay = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), cap.TotalMilliseconds);
        // Full jitter on the upper half keeps restarts of several children from lining up.
        var jittered = delay / 2 + Random.Shared.NextDouble() * delay / 2;
        return TimeSpan.FromMilliseconds(jittered);
    }
}
