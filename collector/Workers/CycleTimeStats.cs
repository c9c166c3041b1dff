namespace EdgePartition.Collector.Workers;

/// <summary>Poll cycle durations for the segment status: last, running average (EWMA, 1/16), maximum.</summary>
internal struct CycleTimeStats
{
    public long LastNs;
    public long AverageNs;
    public long MaxNs;

    public void Record(long durationNs)
    {
        LastNs = durationNs;
        AverageNs = AverageNs == 0 ? durationNs : AverageNs + ((durationNs - AverageNs) / 16);
        MaxNs = Math.Max(MaxNs, durationNs);
    }
}
