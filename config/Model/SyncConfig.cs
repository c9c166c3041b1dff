namespace EdgePartition.Config;

/// <summary>
/// Merge rules of a partition, fully resolved: the merged image is <see cref="ImageSize"/> bytes built from
/// <see cref="Contributions"/> at their image offsets, the server heartbeat and the alive flags, and is written whole
/// into the receive tag of every <see cref="Receivers"/> entry.
/// </summary>
public sealed class SyncConfig
{
    public TimeSpan CycleTime { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Interval of full image writes; in between only changed ranges are written.</summary>
    public TimeSpan FullRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Size of the merged image in bytes (the end of its last field rounded up to even, unless given larger).</summary>
    public required int ImageSize { get; init; }

    /// <summary>Blocks and variables in file order, each at its resolved image offset.</summary>
    public required IReadOnlyList<SyncContribution> Contributions { get; init; }

    public ServerHeartbeatConfig? ServerHeartbeat { get; init; }

    public AliveFlagsConfig? AliveFlags { get; init; }

    public IReadOnlyList<SyncReceiver> Receivers { get; init; } = [];

    public IReadOnlyList<DeviceHeartbeatConfig> DeviceHeartbeats { get; init; } = [];

    public IReadOnlyList<RequestAckConfig> RequestAcks { get; init; } = [];

    public SourceLocation? Location { get; init; }
}

/// <summary>Whether a contribution copies a whole send block or a single variable.</summary>
public enum SyncContributionKind
{
    /// <summary>A byte-array send block tag copied whole.</summary>
    Block,

    /// <summary>One tag's raw bytes in PLC byte order; a BOOL as one bit.</summary>
    Variable,
}

/// <summary>Where one device tag's bytes land in the merged image.</summary>
public sealed class SyncContribution
{
    public required SyncContributionKind Kind { get; init; }

    public required string Device { get; init; }

    public required string Tag { get; init; }

    /// <summary>Byte offset in the image.</summary>
    public required int ImageOffset { get; init; }

    /// <summary>For a BOOL variable the bit in the image byte (0..7); -1 for byte-wise contributions.</summary>
    public int ImageBit { get; init; } = -1;

    /// <summary>Bytes copied (the tag's <see cref="TagConfig.ByteLength"/>; 1 for a BOOL, of which only the bit is copied).</summary>
    public required int ByteLength { get; init; }

    public bool IsBit => ImageBit >= 0;

    /// <summary>First image byte after the contribution.</summary>
    public int End => ImageOffset + ByteLength;

    public SourceLocation? Location { get; init; }
}

/// <summary>The counter sync increments every cycle and writes into the image, a 16-bit big-endian INT like S7.</summary>
public sealed class ServerHeartbeatConfig
{
    public required int ImageOffset { get; init; }

    /// <summary>The counter runs 0 .. Modulo-1 (256 by default, as the s7sync utility did).</summary>
    public int Modulo { get; init; } = 256;

    public const int ByteLength = 2;

    public SourceLocation? Location { get; init; }
}

/// <summary>One alive bit per device: device i is byte ImageOffset + i / 8, bit i % 8.</summary>
public sealed class AliveFlagsConfig
{
    public required int ImageOffset { get; init; }

    /// <summary>The devices with an alive bit, in bit order.</summary>
    public required IReadOnlyList<string> Devices { get; init; }

    public int ByteLength => (Devices.Count + 7) / 8;

    public SourceLocation? Location { get; init; }
}

/// <summary>A device that receives the whole image into a writable byte-array tag.</summary>
public sealed class SyncReceiver
{
    public required string Device { get; init; }

    public required string Tag { get; init; }

    public SourceLocation? Location { get; init; }
}

/// <summary>A tag the device's program increments; unchanged for longer than <see cref="Timeout"/> the device is stale.</summary>
public sealed class DeviceHeartbeatConfig
{
    public required string Device { get; init; }

    public required string Tag { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    public SourceLocation? Location { get; init; }
}

/// <summary>
/// A request/ack pair: the requester raises <see cref="RequestTag"/> and clears <see cref="AckTag"/>; the executor
/// acts and shares <see cref="StateTag"/>; the requester sees it and sets its ack. Sync tracks pending, served and
/// timed-out requests; with <see cref="WithdrawOnTimeout"/> it also clears a timed-out request in the requester.
/// </summary>
public sealed class RequestAckConfig
{
    public required string Name { get; init; }

    public required string RequesterDevice { get; init; }

    public required string RequestTag { get; init; }

    public required string AckTag { get; init; }

    public required string ExecutorDevice { get; init; }

    public required string StateTag { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When a request times out, sync writes 0/false to <see cref="RequestTag"/> through the requester's write queue
    /// (once per timed-out request), so the requester can ask again; the request tag must then be writable. Off by
    /// default: sync only tracks.
    /// </summary>
    public bool WithdrawOnTimeout { get; init; }

    public SourceLocation? Location { get; init; }
}
