using System.Text.Json;
using EdgePartition.Config;
using EdgePartition.Consumers.Partition;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Json;

/// <summary>A device or the sync segment as JSON: identity, status, and optionally its tags.</summary>
public static class SourceJson
{
    public static void Write(Utf8JsonWriter writer, PartitionState partition, SourceState source, SourceSnapshot snapshot, NamePattern? tags)
    {
        var sync = partition.Sync?.Current;
        writer.WriteStartObject();
        writer.WriteString("name"u8, source.Name);
        writer.WriteString("protocol"u8, source.Plan.Protocol);
        writer.WriteString("segment"u8, SegmentNames.SegmentPath(partition.Plan.SegmentDirectory, partition.Name, source.Name));
        writer.WriteNumber("tagCount"u8, snapshot.Layout?.TagCount ?? 0);
        writer.WritePropertyName("status"u8);
        StatusJson.Write(writer, snapshot, sync, source.Name);
        if (tags is not null)
        {
            writer.WritePropertyName("tags"u8);
            WriteTags(writer, snapshot, tags);
        }

        writer.WriteEndObject();
    }

    /// <summary>The tags whose names match, in segment order: name, type, address, value, quality, source time.</summary>
    public static void WriteTags(Utf8JsonWriter writer, SourceSnapshot snapshot, NamePattern pattern)
    {
        writer.WriteStartArray();
        if (snapshot.Layout is { } layout)
        {
            var data = snapshot.Data.AsSpan();
            for (var i = 0; i < layout.TagCount; i++)
            {
                var tag = layout.Tag(i);
                if (pattern.IsMatch(tag.Name))
                {
                    WriteTag(writer, data, tag, layout.Slot(i));
                }
            }
        }

        writer.WriteEndArray();
    }

    public static void WriteTag(Utf8JsonWriter writer, ReadOnlySpan<byte> data, TagDescriptor tag, TagSlot slot)
    {
        writer.WriteStartObject();
        writer.WriteString("tag"u8, tag.Name);
        writer.WriteString("type"u8, TypeName(tag));
        if (tag.Address.Length > 0)
        {
            writer.WriteString("address"u8, tag.Address);
        }

        if (tag.Writable)
        {
            writer.WriteBoolean("writable"u8, true);
        }

        TagValueJson.WriteSample(writer, data, tag, slot);
        writer.WriteEndObject();
    }

    /// <summary>"int16", "float32[10]", "string(32)".</summary>
    public static string TypeName(TagDescriptor tag)
    {
        var name = tag.DataType.ToString().ToLowerInvariant();
        if (tag.DataType is IpcDataType.String or IpcDataType.Bytes)
        {
            name += $"({tag.MaxLength})";
        }

        return tag.ArrayLength > 1 ? $"{name}[{tag.ArrayLength}]" : name;
    }

    /// <summary>The sync details: server heartbeat, last merge and the request/ack table.</summary>
    public static void WriteSyncDetails(Utf8JsonWriter writer, SourceSnapshot sync)
    {
        writer.WritePropertyName("heartbeat"u8);
        if (SyncTags.TryReadInt64(sync, SyncTags.Heartbeat, out var heartbeat))
        {
            writer.WriteNumberValue(heartbeat);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("lastMerge"u8);
        if (sync.Layout is { } layout && layout.TryGetIndex(SyncTags.Image, out var image))
        {
            TagValueJson.WriteTime(writer, TagValueJson.SourceTimestampNs(sync.Data, layout.Slot(image)));
            writer.WriteNumber("imageBytes"u8, layout.Tag(image).MaxLength > 0 ? layout.Tag(image).MaxLength : layout.Slot(image).ValueSize);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteStartArray("requests"u8);
        foreach (var pair in SyncTags.RequestPairs(sync))
        {
            var prefix = SyncTags.RequestPrefix + pair + ".";
            SyncTags.TryReadInt64(sync, prefix + "state", out var state);
            writer.WriteStartObject();
            writer.WriteString("pair"u8, pair);
            writer.WriteString("state"u8, SyncTags.RequestStateName(state));
            writer.WriteBoolean("pending"u8, state is 1 or 2);
            WriteTimeTag(writer, "requestedAt"u8, sync, prefix + "requested_at");
            WriteTimeTag(writer, "executedAt"u8, sync, prefix + "executed_at");
            WriteTimeTag(writer, "acknowledgedAt"u8, sync, prefix + "acknowledged_at");
            SyncTags.TryReadInt64(sync, prefix + "served", out var served);
            SyncTags.TryReadInt64(sync, prefix + "timed_out", out var timedOut);
            SyncTags.TryReadInt64(sync, prefix + "withdrawn", out var withdrawn);
            writer.WriteNumber("served"u8, (ulong)served);
            writer.WriteNumber("timedOut"u8, (ulong)timedOut);
            writer.WriteNumber("withdrawn"u8, (ulong)withdrawn);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteTimeTag(Utf8JsonWriter writer, ReadOnlySpan<byte> property, SourceSnapshot sync, string tag)
    {
        writer.WritePropertyName(property);
        TagValueJson.WriteTime(writer, SyncTags.TryReadInt64(sync, tag, out var ns) ? ns : 0);
    }
}
