using System.Text.Json;

namespace EdgePartition.Ipc;

/// <summary>
/// The JSON form of a segment printed by `edgepart shm dump --json`. Its shape is a stable contract: the C and
/// Python readers in ipc-schema/ print the same document and the tests compare them field by field.
/// 64-bit identifiers (schema hash, epoch) are hex strings; counters and times are integers; Bytes are lowercase hex;
/// non-finite floats are the strings "NaN", "Infinity", "-Infinity".
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
        if (tag.ArrayLength == 1)
        {
            WriteElement(json, snapshot, index, tag.DataType, 0);
        }
        else
        {
            json.WriteStartArray();
            for (var e = 0; e < tag.ArrayLength; e++)
            {
                WriteElement(json, snapshot, index, tag.DataType, e);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteElement(Utf8JsonWriter json, SegmentSnapshot s, int tag, IpcDataType type, int e)
    {
        switch (type)
        {
            case IpcDataType.Bool: json.WriteBooleanValue(s.GetBool(tag, e)); break;
            case IpcDataType.Int8: json.WriteNumberValue(s.GetInt8(tag, e)); break;
            case IpcDataType.UInt8: json.WriteNumberValue(s.GetUInt8(tag, e)); break;
            case IpcDataType.Int16: json.WriteNumberValue(s.GetInt16(tag, e)); break;
            case IpcDataType.UInt16: json.WriteNumberValue(s.GetUInt16(tag, e)); break;
            case IpcDataType.Int32: json.WriteNumberValue(s.GetInt32(tag, e)); break;
            case IpcDataType.UInt32: json.WriteNumberValue(s.GetUInt32(tag, e)); break;
            case IpcDataType.Int64: json.WriteNumberValue(s.GetInt64(tag, e)); break;
            case IpcDataType.UInt64: json.WriteNumberValue(s.GetUInt64(tag, e)); break;
            case IpcDataType.Float32: WriteFloat(json, s.GetFloat32(tag, e)); break;
            case IpcDataType.Float64: WriteFloat(json, s.GetFloat64(tag, e)); break;
            case IpcDataType.DateTime: json.WriteNumberValue(s.GetDateTime(tag, e)); break;
            case IpcDataType.Duration: json.WriteNumberValue(s.GetDuration(tag, e)); break;
            case IpcDataType.String: json.WriteStringValue(s.GetStringUtf8(tag, e)); break;
            case IpcDataType.Bytes: json.WriteStringValue(Convert.ToHexStringLower(s.GetBytes(tag, e))); break;
            default: json.WriteNullValue(); break;
        }
    }

    private static void WriteFloat(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
