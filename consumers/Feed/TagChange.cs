namespace EdgePartition.Consumers.Feed;

/// <summary>One changed tag of a commit: its index in the segment's layout and its change message (UTF-8 JSON).</summary>
/// <remarks>The message is serialised once and shared, read-only, by every client that subscribes to the tag.</remarks>
public readonly record struct TagChange(int TagIndex, byte[] Message);
