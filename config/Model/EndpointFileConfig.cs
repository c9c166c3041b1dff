namespace EdgePartition.Config;

/// <summary>One included endpoint file: devices of a single protocol.</summary>
public sealed class EndpointFileConfig
{
    public required Protocol Protocol { get; init; }

    /// <summary>Absolute path of the file (empty for a model built in code; the writer then names it).</summary>
    public string Path { get; init; } = "";

    public required IReadOnlyList<DeviceConfig> Devices { get; init; }
}
