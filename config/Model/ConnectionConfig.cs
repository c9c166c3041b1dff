namespace EdgePartition.Config;

/// <summary>How to reach a device; one subclass per protocol.</summary>
public abstract class ConnectionConfig
{
    /// <summary>Connect and request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>A simulated device has nothing to connect to.</summary>
public sealed class SimConnectionConfig : ConnectionConfig;
