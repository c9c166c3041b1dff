namespace EdgePartition.OpcUa.Types;

/// <summary>The state a server reports in ServerStatus.State (Part 5 §12.6).</summary>
public enum ServerState : uint
{
    Running = 0,
    Failed = 1,
    NoConfiguration = 2,
    Suspended = 3,
    Shutdown = 4,
    Test = 5,
    CommunicationFault = 6,
    Unknown = 7,
}

/// <summary>What software a server runs (Part 5 §12.4; binary encoding i=340).</summary>
public sealed record BuildInfo(
    string? ProductUri, string? ManufacturerName, string? ProductName, string? SoftwareVersion, string? BuildNumber, DateTime BuildDate)
{
    public const uint BinaryEncodingId = 340;
}

/// <summary>The Server.ServerStatus variable's value (Part 5 §12.10; binary encoding i=864).</summary>
public sealed record ServerStatusDataType(
    DateTime StartTime, DateTime CurrentTime, ServerState State, BuildInfo BuildInfo, uint SecondsTillShutdown, LocalizedText ShutdownReason)
{
    public const uint BinaryEncodingId = 864;
}
