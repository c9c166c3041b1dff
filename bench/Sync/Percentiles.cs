namespace EdgePartition.Sync.Bench;

/// <summary>p50/p99/max of a sample set in milliseconds.</summary>
internal sealed class Percentiles(string name, double[] milliseconds)
{
    public static Percentiles Of(string name, List<double> samples)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return new Percentiles(name, sorted);
    }

    public double P50 => At(0.50);

    public double P99 => At(0.99);

    public double Max => milliseconds[^1];

    public override string ToString() => $"{name,-44} p50 {P50,8:0.00} ms  p99 {P99,8:0.00} ms  max {Max,8:0.00} ms  (n={milliseconds.Length})";

    private double At(double q) => milliseconds[Math.Min(milliseconds.Length - 1, (int)(q * milliseconds.Length))];
}
