namespace EdgePartition.Ipc;

/// <summary>
/// Tag names and types of the sync segment `edgepart.&lt;partition&gt;.sync`: the one declaration sync writes it by
/// and consumers (status, endpoints) read it by, so the two cannot disagree on a type. Keep the names exactly; new
/// tags may be added, none renamed.
/// </summary>
public static class SyncSegmentTags
{
    /// <summary>The segment's name in the partition.</summary>
    public const string SegmentName = "sync";

    /// <summary>u64: the server heartbeat, +1 every scheduled cycle (the image carries it modulo its configured range).</summary>
    public const string Heartbeat = "heartbeat";

    /// <summary>u8[image size]: the merged image as last built.</summary>
    public const string Image = "image";

    /// <summary>The image's element type: one UInt8 per image byte, no length prefix (unlike <see cref="IpcDataType.Bytes"/>).</summary>
    public const IpcDataType ImageElementType = IpcDataType.UInt8;

    /// <summary>The heartbeat's type.</summary>
    public const IpcDataType HeartbeatType = IpcDataType.UInt64;

    /// <summary>The image tag of a segment whose merged image has <paramref name="imageSize"/> bytes.</summary>
    public static TagDescriptor ImageTag(int imageSize) => new(Image, ImageElementType, ArrayLength: imageSize);

    /// <summary>The heartbeat tag.</summary>
    public static TagDescriptor HeartbeatTag() => new(Heartbeat, HeartbeatType);

    /// <summary>bool per device: alive (collector running, connected, heartbeat moving).</summary>
    public static string Alive(string device) => "alive." + device;

    /// <summary>date/time per device: when it stopped being alive, 0 while alive.</summary>
    public static string StaleSince(string device) => "stale_since." + device;

    /// <summary>u32 per device (extra): OPC UA status code of its data in the image (Good, BadNotConnected, BadTimeout).</summary>
    public static string Quality(string device) => "quality." + device;

    /// <summary>u8 per pair: 0 idle, 1 requested, 2 executed, 3 acknowledged, 4 timed out.</summary>
    public static string RequestState(string pair) => $"request.{pair}.state";

    public static string RequestedAt(string pair) => $"request.{pair}.requested_at";

    public static string ExecutedAt(string pair) => $"request.{pair}.executed_at";

    public static string AcknowledgedAt(string pair) => $"request.{pair}.acknowledged_at";

    /// <summary>u64 per pair: requests acknowledged.</summary>
    public static string Served(string pair) => $"request.{pair}.served";

    /// <summary>u64 per pair: requests that timed out.</summary>
    public static string TimedOut(string pair) => $"request.{pair}.timed_out";

    /// <summary>u64 per pair: timed-out requests sync cleared in the requester (withdrawOnTimeout; 0 otherwise).</summary>
    public static string Withdrawn(string pair) => $"request.{pair}.withdrawn";

    /// <summary>u64 per receiver (extra): write requests enqueued, full refreshes, refused enqueues, failed writes.</summary>
    public static string WritesEnqueued(string device) => $"writeback.{device}.enqueued";

    public static string FullRefreshes(string device) => $"writeback.{device}.full_refreshes";

    public static string WritesRefused(string device) => $"writeback.{device}.refused";

    public static string WritesFailed(string device) => $"writeback.{device}.failed";
}
