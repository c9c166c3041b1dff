using System.Diagnostics;

namespace EdgePartition.Consumers.Writes;

/// <summary>
/// A token bucket per caller: <c>writesPerSecond</c> writes a second with a burst of as many, so a runaway script
/// cannot flood a PLC's write queue. Buckets are created on first use and are few (one per token name).
/// </summary>
public sealed class WriteRateLimiter(ConsumersOptions options)
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _rate = options.Tokens?.WritesPerSecond ?? Config.TokensConfig.DefaultWritesPerSecond;

    /// <summary>Takes one write from <paramref name="caller"/>'s bucket; false when it is empty.</summary>
    public bool TryAcquire(string caller)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_buckets)
        {
            if (!_buckets.TryGetValue(caller, out var bucket))
            {
                bucket = new Bucket { Tokens = _rate, Updated = now };
                _buckets[caller] = bucket;
            }

            var elapsed = Stopwatch.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Tokens = Math.Min(_rate, bucket.Tokens + (elapsed * _rate));
            bucket.Updated = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket
    {
        public double Tokens;
        public long Updated;
    }
}
