namespace EdgePartition.Protocols.Tests;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(2);

    [Fact]
    public void GrowsExponentiallyWithJitterUpToTheCapAndResets()
    {
        var backoff = new Backoff(Initial, Cap, new Random(7));
        var delays = Enumerable.Range(0, 10).Select(_ => backoff.NextDelay().TotalMilliseconds).ToArray();

        Assert.InRange(delays[0], 100, 120);
        Assert.InRange(delays[1], 160, 240);
        Assert.InRange(delays[2], 320, 480);
        Assert.All(delays, d => Assert.InRange(d, 100, 2000));
        Assert.Equal(2000, delays[^1], 0);
        Assert.Equal(10, backoff.Failures);
        backoff.Reset();
        Assert.InRange(backoff.NextDelay().TotalMilliseconds, 100, 120);
    }

    [Theory]
    [InlineData(0.0, 0, 100)] // the low end of the band is clamped to the initial delay
    [InlineData(0.5, 0, 100)]
    [InlineData(0.0, 2, 320)]
    [InlineData(0.5, 2, 400)]
    [InlineData(0.999999, 2, 480)]
    [InlineData(0.999999, 5, 2000)] // 3200 ms ±20 % is above the cap
    public void JitterSourcePicksThePointInTheBand(double unit, int failuresBefore, double expectedMs)
    {
        var backoff = new Backoff(Initial, Cap);
        for (var i = 0; i < failuresBefore; i++)
        {
            backoff.NextDelay(0.5);
        }

        Assert.Equal(expectedMs, backoff.NextDelay(unit).TotalMilliseconds, 0.01);
    }

    [Fact]
    public void AnUpTimeOfAtLeastTheStablePeriodStartsOverFromTheInitialDelay()
    {
        var backoff = new Backoff(Initial, Cap, new Random(1), stableAfter: TimeSpan.FromSeconds(60));
        for (var i = 0; i < 6; i++)
        {
            backoff.NextDelay(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(6, backoff.Failures);
        Assert.InRange(backoff.NextDelay(TimeSpan.FromSeconds(59)).TotalMilliseconds, 1600, 2000);
        Assert.InRange(backoff.NextDelay(TimeSpan.FromSeconds(60)).TotalMilliseconds, 100, 120);
        Assert.Equal(1, backoff.Failures);
    }

    [Fact]
    public void WithoutAStablePeriodUpTimeNeverResets()
    {
        var backoff = new Backoff(Initial, Cap, new Random(3));
        backoff.NextDelay(TimeSpan.FromDays(1));
        backoff.NextDelay(TimeSpan.FromDays(1));
        Assert.Equal(2, backoff.Failures);
    }

    [Fact]
    public void NextDelayDoesNotAllocate()
    {
        var backoff = new Backoff(Initial, Cap, new Random(5));
        backoff.NextDelay();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            backoff.NextDelay();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
