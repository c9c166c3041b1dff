namespace EdgePartition.Northbound.Sparkplug;

/// <summary>Topic names of one edge node (Sparkplug 3.0 §4.1): spBv1.0/GROUP/TYPE/NODE[/DEVICE].</summary>
internal sealed class SparkplugTopics(string group, string node)
{
    public const string Namespace = "spBv1.0";

    public string NodeBirth { get; } = $"{Namespace}/{group}/NBIRTH/{node}";

    public string NodeDeath { get; } = $"{Namespace}/{group}/NDEATH/{node}";

    public string NodeData { get; } = $"{Namespace}/{group}/NDATA/{node}";

    public string NodeCommand { get; } = $"{Namespace}/{group}/NCMD/{node}";

    /// <summary>Every device's commands; the device is the last topic level.</summary>
    public string DeviceCommandFilter { get; } = $"{Namespace}/{group}/DCMD/{node}/+";

    public string DeviceCommandPrefix { get; } = $"{Namespace}/{group}/DCMD/{node}/";

    public string DeviceBirth(string device) => $"{Namespace}/{group}/DBIRTH/{node}/{device}";

    public string DeviceDeath(string device) => $"{Namespace}/{group}/DDEATH/{node}/{device}";

    public string DeviceData(string device) => $"{Namespace}/{group}/DDATA/{node}/{device}";

    /// <summary>Sparkplug 3.0 host STATE (JSON).</summary>
    public static string HostState(string host) => $"{Namespace}/STATE/{host}";

    /// <summary>Sparkplug 2.2 host STATE (ONLINE/OFFLINE text), still met in the field.</summary>
    public static string LegacyHostState(string host) => $"STATE/{host}";
}
