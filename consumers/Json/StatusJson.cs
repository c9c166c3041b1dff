using System.Text.Json;
using EdgePartition.Consumers.Partition;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Json;

/// <summary>
/// The status object of a source, the same in /api/status, /api/devices/{device}, /api/sync and the websocket's
/// status messages: writer process (liveness, pid, heartbeat age), connection (state, since, last error,
/// endpoint), counters, cycle times and jitter, and, for devices, sync's verdict on the device heartbeat.
/// </summary>
public static class StatusJson
{
    public static void Write(Utf8JsonWriter writer, SourceSnapshot snapshot, SourceSnapshot? sync, string name)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("present"u8, snapshot.Present);
        if (!snapshot.Present)
        {
            writer.WriteString("liveness"u8, "absent"u8);
            writer.WriteString("problem"u8, snapshot.Problem);
            WriteSyncVerdict(writer, sync, name);
            writer.WriteEndObject();
            return;
        }

        var info = snapshot.Writer;
        var status = snapshot.Status;
        writer.WriteString("liveness"u8, LivenessName(snapshot.Liveness));
        writer.WriteNumber("pid"u8, info.Pid);
        writer.WriteNumber("heartbeatAgeMs"u8, Math.Round(info.HeartbeatAge.TotalMilliseconds, 1));
        writer.WritePropertyName("writerStarted"u8);
        TagValueJson.WriteTime(writer, info.WriterStartedUnixNs);
        writer.WriteNumber("commits"u8, info.CommitCount);
        writer.WritePropertyName("lastCommit"u8);
        TagValueJson.WriteTime(writer, info.LastCommitUnixNs);

        writer.WriteString("connection"u8, ConnectionName(status.State));
        writer.WritePropertyName("since"u8);
        TagValueJson.WriteTime(writer, status.StateSinceUnixNs);
        var lastError = status.GetLastError();
        if (lastError.Length == 0)
        {
            writer.WriteNull("lastError"u8);
        }
        else
        {
            writer.WriteString("lastError"u8, lastError);
        }

        writer.WriteString("endpoint"u8, status.GetEndpoint());
        writer.WriteNumber("readsOk"u8, status.ReadsOk);
        writer.WriteNumber("readsFailed"u8, status.ReadsFailed);
        writer.WriteNumber("writesOk"u8, status.WritesOk);
        writer.WriteNumber("writesFailed"u8, status.WritesFailed);
        writer.WriteNumber("reconnects"u8, status.Reconnects);
        writer.WriteNumber("bytesRead"u8, status.BytesIn);
        writer.WriteNumber("bytesWritten"u8, status.BytesOut);
        writer.WriteNumber("writeQueueDepth"u8, status.WriteQueueDepth);
        writer.WriteNumber("cycles"u8, status.CycleCount);
        writer.WriteNumber("cycleLastMs"u8, Ms(status.CycleTimeLastNs));
        writer.WriteNumber("cycleAvgMs"u8, Ms(status.CycleTimeAvgNs));
        writer.WriteNumber("cycleMaxMs"u8, Ms(status.CycleTimeMaxNs));
        writer.WriteNumber("jitterP50Ms"u8, Ms(status.JitterP50Ns));
        writer.WriteNumber("jitterP99Ms"u8, Ms(status.JitterP99Ns));
        writer.WriteNumber("jitterMaxMs"u8, Ms(status.JitterMaxNs));
        writer.WritePropertyName("lastCycle"u8);
        TagValueJson.WriteTime(writer, status.LastCycleUnixNs);
        WriteSyncVerdict(writer, sync, name);
        writer.WriteEndObject();
    }

    /// <summary>Sync's view of a device: <c>alive.&lt;device&gt;</c> and <c>stale_since.&lt;device&gt;</c>; null when unknown.</summary>
    private static void WriteSyncVerdict(Utf8JsonWriter writer, SourceSnapshot? sync, string name)
    {
        if (name == PartitionPlan.SyncName)
        {
            return;
        }

        if (SyncTags.TryReadBool(sync, "alive." + name, out var alive))
        {
            writer.WriteBoolean("alive"u8, alive);
        }
        else
        {
            writer.WriteNull("alive"u8);
        }

        writer.WritePropertyName("staleSince"u8);
        TagValueJson.WriteTime(writer, SyncTags.TryReadInt64(sync, "stale_since." + name, out var since) ? since : 0);
    }

    public static double Ms(long ns) => Math.Round(ns / 1e6, 3);

    public static string LivenessName(WriterLiveness liveness) => liveness switch
    {
        WriterLiveness.Alive => "alive",
        WriterLiveness.Hung => "hung",
        WriterLiveness.Gone => "gone",
        WriterLiveness.Stopped => "stopped",
        WriterLiveness.Superseded => "superseded",
        _ => "unknown",
    };

    public static string ConnectionName(ConnectionState state) => state switch
    {
        ConnectionState.Idle => "idle",
        ConnectionState.Connecting => "connecting",
        ConnectionState.Connected => "connected",
        ConnectionState.Disconnected => "disconnected",
        ConnectionState.Faulted => "faulted",
        ConnectionState.Stopped => "stopped",
        _ => "unknown",
    };
}
