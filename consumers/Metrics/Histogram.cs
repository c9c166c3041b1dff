namespace EdgePartition.Consumers.Metrics;

/// <summary>A point-in-time copy of a <see cref="Histogram"/>: per-bucket (not cumulative) counts, last is +Inf.</summary>
public readonly record struct HistogramSnapshot(double[] UpperBounds, long[] Counts, double Sum);

/// <summary>
/// A fixed-bucket histogram safe to observe from one thread and read from others (Interlocked counts; the sum is
/// only ever written by the observing thread). Observation allocates nothing.
/// </summary>
public sealed class Histogram(double[] upperBounds)
{
    /// <summary>Buckets for PLC cycle times in seconds: 1 ms to 10 s.</summary>
    public static double[] CycleTimeBounds { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly long[] _counts = new long[upperBounds.Length + 1];
    private long _sumBits;

    public void Observe(double value)
    {
        var bucket = upperBounds.Length;
        for (var i = 0; i < upperBounds.Length; i++)
        {
            if (value <= upperBounds[i])
            {
                bucket = i;
                break;
            }
        }

        Interlocked.Increment(ref _counts[bucket]);
        var sum = BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits)) + value;
        Volatile.Write(ref _sumBits, BitConverter.DoubleToInt64Bits(sum));
    }

    public HistogramSnapshot Snapshot()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }

        return new HistogramSnapshot(upperBounds, counts, BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits)));
    }
}
