using EdgePartition.Ipc;

namespace EdgePartition.Northbound.Publishing;

/// <summary>What the publisher knows of one device: its latest values, what hosts last saw, whether it is born.</summary>
internal sealed class DeviceState(int index, string name)
{
    public int Index { get; } = index;

    public string Name { get; } = name;

    public SegmentLayout? Layout { get; set; }

    public MetricInfo[] Metrics { get; set; } = [];

    public Dictionary<ulong, MetricInfo> ByAlias { get; } = [];

    public Dictionary<string, MetricInfo> ByName { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest committed data area (a private copy).</summary>
    public byte[]? Current { get; set; }

    /// <summary>The values as hosts know them (last birth, data or stored history); null: none yet.</summary>
    public byte[]? Published { get; set; }

    public bool Online { get; set; }

    /// <summary>The online state last written to the log (state changes are logged once).</summary>
    public bool? ReportedOnline { get; set; }

    /// <summary>DBIRTH sent in this session and no DDEATH since.</summary>
    public bool Born { get; set; }

    public string? Problem { get; set; }

    public void SetMetrics(MetricInfo[] metrics)
    {
        Metrics = metrics;
        ByAlias.Clear();
        ByName.Clear();
        foreach (var metric in metrics)
        {
            ByAlias[metric.Alias] = metric;
            ByName[metric.Name] = metric;
        }
    }
}
