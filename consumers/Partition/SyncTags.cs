using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Partition;

/// <summary>
/// Reads the sync segment's conventional tags (<c>heartbeat</c>, <c>image</c>, <c>alive.&lt;device&gt;</c>,
/// <c>stale_since.&lt;device&gt;</c>, <c>request.&lt;pair&gt;.*</c>) by name, whatever integer width sync chose.
/// </summary>
public static class SyncTags
{
    public const string Heartbeat = SyncSegmentTags.Heartbeat;
    public const string Image = SyncSegmentTags.Image;
    public const string RequestPrefix = "request.";

    public static bool TryReadBool(SourceSnapshot? sync, string tag, out bool value)
    {
        var ok = TryReadInt64(sync, tag, out var raw);
        value = raw != 0;
        return ok;
    }

    /// <summary>The first element of an integer, bool, date/time or duration tag, widened to 64 bits.</summary>
    public static bool TryReadInt64(SourceSnapshot? sync, string tag, out long value)
    {
        value = 0;
        if (sync?.Layout is not { } layout || !layout.TryGetIndex(tag, out var index))
        {
            return false;
        }

        var type = layout.Tag(index).DataType;
        if (type is IpcDataType.Float32 or IpcDataType.Float64 or IpcDataType.String or IpcDataType.Bytes)
        {
            return false;
        }

        var slot = layout.Slot(index);
        value = SlotElement.ReadInteger(type, sync.Data.AsSpan(slot.ValueOffset, slot.ElementSize));
        return true;
    }

    /// <summary>The request/ack pair names present in the sync segment (tags <c>request.&lt;pair&gt;.state</c>).</summary>
    public static List<string> RequestPairs(SourceSnapshot? sync)
    {
        var pairs = new List<string>();
        if (sync?.Layout is not { } layout)
        {
            return pairs;
        }

        foreach (var tag in layout.Tags)
        {
            if (tag.Name.StartsWith(RequestPrefix, StringComparison.Ordinal) && tag.Name.EndsWith(".state", StringComparison.Ordinal))
            {
                pairs.Add(tag.Name[RequestPrefix.Length..^".state".Length]);
            }
        }

        pairs.Sort(StringComparer.Ordinal);
        return pairs;
    }

    /// <summary>The names sync gives the states of a request/ack pair (uint8 codes 0..4).</summary>
    public static string RequestStateName(long state) => state switch
    {
        0 => "idle",
        1 => "requested",
        2 => "executed",
        3 => "acknowledged",
        4 => "timedOut",
        _ => "unknown",
    };
}
