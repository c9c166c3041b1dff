namespace EdgePartition.Ipc;

/// <summary>The writer's connection to its device (or, for sync, its own state). On-disk u32 codes.</summary>
public enum ConnectionState : uint
{
    Idle = 0,
    Connecting = 1,
    Connected = 2,

    /// <summary>Lost or refused; waiting out a reconnect back-off.</summary>
    Disconnected = 3,

    /// <summary>Will not retry without intervention (bad configuration, access denied).</summary>
    Faulted = 4,

    Stopped = 5,
}
