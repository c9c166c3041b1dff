using EdgePartition.Config;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// The value of one simulated tag at a point in time, following its generator; a write holds the written value
/// instead (a simulated device stores what it is told, as a PLC would).
/// </summary>
internal sealed class SimSignal(SimulationConfig? generator, int seed)
{
    private readonly Random _random = new(seed);
    private long _randomPeriod = -1;
    private double _randomValue;

    /// <summary>A value written through the queue, held until the next write; NaN when none.</summary>
    public double Override { get; set; } = double.NaN;

    public double ValueAt(long elapsedNs)
    {
        if (!double.IsNaN(Override))
        {
            return Override;
        }

        if (generator is null)
        {
            return 0;
        }

        var period = Math.Max(1, Nanoseconds.From(generator.Period));
        var min = generator.Min;
        var max = generator.Max;
        switch (generator.Generator)
        {
            case SimGenerator.Counter:
                var span = Math.Max(1, (long)Math.Floor(max - min) + 1);
                return min + ((elapsedNs / period) % span);
            case SimGenerator.Sine:
                var phase = (double)(elapsedNs % period) / period;
                return min + ((max - min) * (0.5 + (0.5 * Math.Sin(2 * Math.PI * phase))));
            case SimGenerator.Random:
                var index = elapsedNs / period;
                if (index != _randomPeriod)
                {
                    _randomPeriod = index;
                    _randomValue = min + ((max - min) * _random.NextDouble());
                }

                return _randomValue;
            case SimGenerator.Square:
                return elapsedNs % period < period / 2 ? min : max;
            default:
                return generator.Value;
        }
    }
}
