using System.Text.Json;

namespace EdgePartition.Consumers.Writes;

/// <summary>One write as a caller asked for it: the tag, the JSON value, and for arrays optionally one element.</summary>
/// <param name="Index">Element to write of an array tag; null writes the value whole (a JSON array for an array tag).</param>
public sealed record WriteRequestText(string Device, string Tag, JsonElement Value, int? Index = null);
