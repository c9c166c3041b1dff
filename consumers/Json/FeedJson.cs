using System.Buffers;
using System.Text.Json;
using EdgePartition.Consumers.Feed;
using EdgePartition.Consumers.Partition;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Json;

/// <summary>
/// Builds the websocket messages. Change and status messages are serialised once per commit and shared by every
/// client; one builder belongs to one thread (a source watcher) and reuses its buffer and writer.
/// </summary>
public sealed class FeedJson
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public FeedJson() => _writer = new Utf8JsonWriter(_buffer, JsonDefaults.WriterOptions with { SkipValidation = true });

    /// <summary><c>{"type":"change","device":…,"tag":…,"value":…,"quality":…,"ts":…}</c></summary>
    public byte[] Change(string source, ReadOnlySpan<byte> data, TagDescriptor tag, TagSlot slot)
    {
        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "change"u8);
        _writer.WriteString("device"u8, source);
        _writer.WriteString("tag"u8, tag.Name);
        TagValueJson.WriteSample(_writer, data, tag, slot);
        _writer.WriteEndObject();
        return End();
    }

    /// <summary><c>{"type":"status","device":…,"status":{…}}</c></summary>
    public byte[] Status(string source, SourceSnapshot snapshot, SourceSnapshot? sync)
    {
        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "status"u8);
        _writer.WriteString("device"u8, source);
        _writer.WritePropertyName("status"u8);
        StatusJson.Write(_writer, snapshot, sync, source);
        _writer.WriteEndObject();
        return End();
    }

    /// <summary>
    /// <c>{"type":"snapshot","partition":…,"devices":[…],"sync":{…}|null}</c> with only what the subscription
    /// selects; <paramref name="snapshots"/> is indexed like the partition's sources.
    /// </summary>
    public static void WriteSnapshot(Utf8JsonWriter writer, PartitionState partition, SourceSnapshot[] snapshots, Subscription subscription)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "snapshot"u8);
        writer.WriteString("partition"u8, partition.Name);
        writer.WriteStartArray("devices"u8);
        foreach (var source in partition.Sources)
        {
            if (source.Plan.Kind == SourceKind.Device && subscription.Devices.IsMatch(source.Name))
            {
                SourceJson.Write(writer, partition, source, snapshots[source.Index], subscription.Tags);
            }
        }

        writer.WriteEndArray();
        writer.WritePropertyName("sync"u8);
        if (partition.Sync is { } sync && subscription.Devices.IsMatch(sync.Name))
        {
            SourceJson.Write(writer, partition, sync, snapshots[sync.Index], subscription.Tags);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private byte[] End()
    {
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }
}
