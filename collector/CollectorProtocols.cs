using EdgePartition.Config;

namespace EdgePartition.Collector;

/// <summary>Which protocols the collector can drive, and what to say about the ones it cannot.</summary>
public static class CollectorProtocols
{
    /// <summary>True when a driver exists for <paramref name="protocol"/>.</summary>
    public static bool IsSupported(Protocol protocol) => protocol is Protocol.S7 or Protocol.Modbus or Protocol.OpcUa or Protocol.Sim;

    /// <summary>The command-line name of a protocol: s7, modbus, opcua, sim.</summary>
    public static string CommandName(Protocol protocol) => protocol switch
    {
        Protocol.S7 => "s7",
        Protocol.Modbus => "modbus",
        Protocol.OpcUa => "opcua",
        _ => "sim",
    };

    /// <summary>Parses a command-line protocol name (case-insensitive).</summary>
    public static bool TryParse(string? name, out Protocol protocol)
    {
        switch (name?.ToLowerInvariant())
        {
            case "s7": protocol = Protocol.S7; return true;
            case "modbus": protocol = Protocol.Modbus; return true;
            case "opcua": protocol = Protocol.OpcUa; return true;
            case "sim": protocol = Protocol.Sim; return true;
            default: protocol = default; return false;
        }
    }

    /// <summary>Why a protocol cannot be collected, naming the missing piece.</summary>
    public static string MissingStackMessage(Protocol protocol) => $"no collector driver for protocol {protocol}";
}
