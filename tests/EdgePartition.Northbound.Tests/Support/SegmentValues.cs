using System.Text.Json;
using System.Text.Json.Nodes;
using EdgePartition.Ipc;

namespace EdgePartition.Northbound.Tests.Support;

/// <summary>A device's values as `edgepart shm dump --json` prints them (the same SegmentJson document), by tag name.</summary>
internal static class SegmentValues
{
    public static Dictionary<string, JsonObject> Dump(string directory, string partition, string device)
    {
        using var reader = SegmentReader.Open(directory, partition, device);
        var snapshot = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(snapshot));
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            SegmentJson.Write(json, reader.Path, reader.ReadWriterInfo(), snapshot);
        }

        var document = JsonNode.Parse(buffer.ToArray())!.AsObject();
        return document["tags"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => (string)t["name"]!);
    }

    /// <summary>Asserts the checker's reassembled value of every tag equals the segment's (DateTime: ns vs ms).</summary>
    public static void AssertEqual(Dictionary<string, JsonObject> segment, JsonObject checkerValues)
    {
        foreach (var (name, tag) in segment)
        {
            var expected = tag["value"]!;
            var actual = checkerValues[name]?["value"];
            Assert.True(actual is not null, $"the checker has no value for {name}");
            if ((string?)tag["type"] == "DateTime")
            {
                Assert.Equal((long)expected / 1_000_000, long.Parse(actual!.ToJsonString().Trim('"'), System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            Assert.True(Same(expected, actual!), $"{name}: segment {expected.ToJsonString()}, checker {actual!.ToJsonString()}");
            Assert.Equal(192, (int)checkerValues[name]!["quality"]!);
        }
    }

    private static bool Same(JsonNode expected, JsonNode actual)
    {
        if (expected is JsonArray left && actual is JsonArray right)
        {
            return left.Count == right.Count && left.Zip(right).All(p => Same(p.First!, p.Second!));
        }

        if (expected.GetValueKind() == JsonValueKind.Number && actual.GetValueKind() is JsonValueKind.Number or JsonValueKind.String)
        {
            return decimal.Parse(expected.ToJsonString().Trim('"'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
                == decimal.Parse(actual.ToJsonString().Trim('"'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        }

        return JsonNode.DeepEquals(expected, actual);
    }
}
