using EdgePartition.Ipc;

namespace EdgePartition.Northbound.Publishing;

/// <summary>Everything the publisher loop reacts to, from the device watchers, the MQTT client and its timer.</summary>
internal abstract record NorthboundEvent;

/// <summary>A device's committed values (a private copy of the data area), or its absence (Layout null).</summary>
/// <param name="Online">The writer is alive and connected to its device.</param>
internal sealed record DeviceCommit(int DeviceIndex, SegmentLayout? Layout, byte[] Data, bool Online, long CommitUnixNs, string? Problem) : NorthboundEvent;

/// <summary>An MQTT message for us: NCMD, DCMD or the primary host's STATE.</summary>
internal sealed record MqttMessageReceived(int Session, string Topic, byte[] Payload) : NorthboundEvent;

/// <summary>The connection of session <paramref name="Session"/> ended.</summary>
internal sealed record MqttDisconnected(int Session, string Reason) : NorthboundEvent;

/// <summary>A connect attempt finished.</summary>
internal sealed record MqttConnectFinished(int Session, Exception? Error, string? Refused) : NorthboundEvent;

/// <summary>The periodic tick: reconnect timing, replay pacing, status file.</summary>
internal sealed record Tick : NorthboundEvent
{
    public static readonly Tick Instance = new();
}
