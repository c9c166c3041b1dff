namespace EdgePartition.Ipc.Benchmarks;

/// <summary>Sorted samples with p50/p99/p99.9 in nanoseconds.</summary>
internal sealed class Percentiles(string name, double[] samplesNs)
{
    public string Name { get; } = name;

    public double P50 => At(0.50);

    public double P99 => At(0.99);

    public double P999 => At(0.999);

    public int Count => samplesNs.Length;

    public static Percentiles FromRoundTrips(string name, long[] roundTripTicks, bool halve)
    {
        var ns = new double[roundTripTicks.Length];
        var scale = 1e9 / System.Diagnostics.Stopwatch.Frequency / (halve ? 2 : 1);
        for (var i = 0; i < ns.Length; i++)
        {
            ns[i] = roundTripTicks[i] * scale;
        }

        Array.Sort(ns);
        return new Percentiles(name, ns);
    }

    public override string ToString() => $"{Name,-52} p50 {Format(P50),10}  p99 {Format(P99),10}  p99.9 {Format(P999),10}  (n={Count})";

    public static string Format(double ns) => ns >= 10_000 ? $"{ns / 1000:0.0} µs" : $"{ns:0} ns";

    private double At(double q) => samplesNs[Math.Min(samplesNs.Length - 1, (int)(q * samplesNs.Length))];
}
