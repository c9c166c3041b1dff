using EdgePartition.Collector.Drivers;
using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Workers;

/// <summary>
/// Checks a dequeued write request against the tag table before anything goes to the device: the tag exists and
/// is writable, the request has not expired, and the byte range fits the tag's slot on element boundaries.
/// </summary>
internal static class WriteValidator
{
    /// <summary>Null when the request may run; otherwise the result to publish.</summary>
    public static WriteOutcome? Check(IReadOnlyList<TagMapping> tags, WriteRequest request, long nowUnixNs)
    {
        if ((uint)request.TagIndex >= (uint)tags.Count)
        {
            return WriteOutcome.Failed(IpcQuality.BadOutOfRange, $"no tag with index {request.TagIndex} (the device has {tags.Count})");
        }

        var tag = tags[request.TagIndex];
        if (!tag.Config.Writable)
        {
            return WriteOutcome.Failed(IpcQuality.BadNotWritable, $"tag '{tag.Config.Name}' is not writable (set writable=\"true\" in its config)");
        }

        if (request.IsExpired(nowUnixNs))
        {
            return WriteOutcome.Failed(IpcQuality.BadTimeout, "the request expired before the collector could execute it");
        }

        var offset = request.ByteOffset;
        var length = request.Length;
        if (length == 0)
        {
            return WriteOutcome.Failed(IpcQuality.BadOutOfRange, "empty value");
        }

        switch (tag.SegmentType)
        {
            case IpcDataType.Bytes:
                return offset + length <= tag.MaxLength ? null
                    : WriteOutcome.Failed(IpcQuality.BadOutOfRange, $"bytes {offset}..{offset + length - 1} are outside '{tag.Config.Name}' ({tag.MaxLength} bytes)");
            case IpcDataType.String:
                return offset == 0 && length <= tag.MaxLength ? null
                    : WriteOutcome.Failed(IpcQuality.BadOutOfRange, $"'{tag.Config.Name}' takes whole text of at most {tag.MaxLength} UTF-8 bytes at offset 0");
            default:
                var size = SegmentValues.ElementSize(tag.SegmentType);
                if (offset % size != 0 || length % size != 0)
                {
                    return WriteOutcome.Failed(IpcQuality.BadTypeMismatch, $"'{tag.Config.Name}' is {tag.SegmentType}: write whole {size}-byte elements");
                }

                return offset + length <= size * tag.ArrayLength ? null
                    : WriteOutcome.Failed(IpcQuality.BadOutOfRange, $"elements {offset / size}..{((offset + length) / size) - 1} are outside '{tag.Config.Name}' ({tag.ArrayLength} elements)");
        }
    }
}
