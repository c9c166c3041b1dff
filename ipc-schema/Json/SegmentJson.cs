using System.Text.Json;

namespace EdgePartition.Ipc;

/// <summary>
/// The JSON form of a segment printed by `edgepart shm dump --json`. Its shape is a stable contract: the C and
/// Python readers in ipc-schema/ print the same document and the tests compare them field by field.
/// 64-bit identifiers (schema hash, epoch) are hex strings; counters and times are integers (DateTime and Duration
/// values too: nanoseconds, lossless); every other value is rendered by <see cref="ElementJson"/>.
/// </summary>
public static class SegmentJson
{
    /// <param name="liveness">Added as "liveness" when given (it is a judgement, not segment content).</param>
    public static void Write(Utf8JsonWriter json, string path, WriterInfo info, SegmentSnapshot snapshot, WriterLiveness? liveness = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(snapshot);
        var layout = snapshot.Layout;
        json.WriteStartObject();
        json.WriteString("path", path);
        json.WriteString("layout", $"{SegmentFormat.LayoutMajor}.{SegmentFormat.LayoutMinor}");
        json.WriteString("schemaHash", $"0x{layout.SchemaHash:x16}");
        json.WriteNumber("segmentSize", layout.SegmentSize);
        json.WriteString("epoch", $"0x{info.Epoch:x16}");
        json.WriteString("state", info.State.ToString());
        if (liveness is { } judged)
        {
            json.WriteString("liveness", judged.ToString());
        }

        json.WriteStartObject("writer");
        json.WriteNumber("pid", info.Pid);
        json.WriteNumber("startTicks", info.StartTicks);
        json.WriteNumber("startedUnixNs", info.WriterStartedUnixNs);
        json.WriteNumber("heartbeatUnixNs", info.HeartbeatUnixNs);
        json.WriteNumber("heartbeatIntervalMs", info.HeartbeatIntervalMs);
        json.WriteEndObject();
        json.WriteNumber("changeSequence", info.ChangeSequence);
        json.WriteNumber("commitSequence", snapshot.CommitSequence);
        json.WriteNumber("repairs", info.RepairCount);
        json.WriteNumber("lastCommitUnixNs", info.LastCommitUnixNs);
        WriteStatus(json, snapshot.Status);
        json.WriteStartArray("tags");
        for (var i = 0; i < layout.TagCount; i++)
        {
            WriteTag(json, snapshot, i);
        }

        json.WriteEndArray();
        json.WriteStartArray("writeResults");
        foreach (var result in snapshot.GetWriteResults())
        {
            json.WriteStartObject();
            json.WriteNumber("requestId", result.RequestId);
            json.WriteNumber("status", result.StatusCode);
            json.WriteNumber("tagIndex", result.TagIndex);
            json.WriteNumber("enqueuedUnixNs", result.EnqueuedUnixNs);
            json.WriteNumber("startedUnixNs", result.StartedUnixNs);
            json.WriteNumber("doneUnixNs", result.DoneUnixNs);
            json.WriteString("error", result.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter json, in WriterStatus status)
    {
        json.WriteStartObject("status");
        json.WriteString("state", status.State.ToString());
        json.WriteNumber("stateSinceUnixNs", status.StateSinceUnixNs);
        json.WriteNumber("readsOk", status.ReadsOk);
        json.WriteNumber("readsFailed", status.ReadsFailed);
        json.WriteNumber("writesOk", status.WritesOk);
        json.WriteNumber("writesFailed", status.WritesFailed);
        json.WriteNumber("reconnects", status.Reconnects);
        json.WriteNumber("bytesIn", status.BytesIn);
        json.WriteNumber("bytesOut", status.BytesOut);
        json.WriteNumber("cycleCount", status.CycleCount);
        json.WriteNumber("cycleTimeLastNs", status.CycleTimeLastNs);
        json.WriteNumber("cycleTimeAvgNs", status.CycleTimeAvgNs);
        json.WriteNumber("cycleTimeMaxNs", status.CycleTimeMaxNs);
        json.WriteNumber("jitterP50Ns", status.JitterP50Ns);
        json.WriteNumber("jitterP99Ns", status.JitterP99Ns);
        json.WriteNumber("jitterMaxNs", status.JitterMaxNs);
        json.WriteNumber("lastCycleUnixNs", status.LastCycleUnixNs);
        json.WriteNumber("writeQueueDepth", status.WriteQueueDepth);
        json.WriteString("lastError", status.GetLastError());
        json.WriteString("endpoint", status.GetEndpoint());
        json.WriteEndObject();
    }

    private static void WriteTag(Utf8JsonWriter json, SegmentSnapshot snapshot, int index)
    {
        var tag = snapshot.Layout.Tag(index);
        json.WriteStartObject();
        json.WriteNumber("index", index);
        json.WriteString("name", tag.Name);
        json.WriteString("address", tag.Address);
        json.WriteString("type", tag.DataType.ToString());
        json.WriteNumber("arrayLength", tag.ArrayLength);
        json.WriteNumber("maxLength", tag.MaxLength);
        json.WriteBoolean("writable", tag.Writable);
        var quality = snapshot.GetQuality(index);
        json.WriteNumber("quality", quality);
        json.WriteString("qualityName", IpcQuality.Describe(quality));
        json.WriteNumber("version", snapshot.GetVersion(index));
        json.WriteNumber("sourceTimestampNs", snapshot.GetSourceTimestamp(index));
        json.WritePropertyName("value");
        var slot = snapshot.Layout.Slot(index);
        var value = snapshot.GetValueSpan(index);
        if (tag.ArrayLength == 1)
        {
            ElementJson.Write(json, tag.DataType, value, tag.MaxLength, WriteNanoseconds);
        }
        else
        {
            json.WriteStartArray();
            for (var e = 0; e < tag.ArrayLength; e++)
            {
                ElementJson.Write(json, tag.DataType, value.Slice(e * slot.ElementSize, slot.ElementSize), tag.MaxLength, WriteNanoseconds);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteNanoseconds(Utf8JsonWriter json, IpcDataType type, long nanoseconds) => json.WriteNumberValue(nanoseconds);
}
