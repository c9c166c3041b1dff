namespace EdgePartition.Config;

/// <summary>The protocol a device speaks; each endpoint file declares devices of one protocol.</summary>
public enum Protocol
{
    S7,
    Modbus,
    OpcUa,

    /// <summary>A simulated device with no network: its tags follow generators (tests and demos).</summary>
    Sim,
}
