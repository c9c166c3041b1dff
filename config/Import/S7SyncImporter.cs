using System.Text;
using System.Text.Json;
using EdgePartition.Config.Loading;

namespace EdgePartition.Config;

/// <summary>
/// Turns the config.json of the S7 "PLC Data Synchronization Utility" (JSON with comments, v1 and v2 fields) into
/// a partition that reproduces its layout exactly: each PLC's variables (BOOL at byte.bit, INT, REAL in its own DB)
/// land in every PLC's sync DB at per-PLC offsets (v1's syncDbOffset, or v2's running total of each PLC's highest
/// used byte + 1 rounded up to even), and the server heartbeat is an INT right after the last variable, 0..255.
/// </summary>
public static class S7SyncImporter
{
    private const int DefaultSyncDb = 200;
    private const int DefaultOperationIntervalMs = 2000;
    private const int DefaultHttpPort = 3010;

    private sealed record Variable(string Name, string Type, int Byte, int Bit)
    {
        /// <summary>Last byte the variable touches in its own DB.</summary>
        public int LastByte => Type switch { "INT" => Byte + 1, "REAL" => Byte + 3, _ => Byte };
    }

    private sealed record Plc(string Name, string Host, int Rack, int Slot, int DbNumber, int SyncDbNumber, int? SyncDbOffset, List<Variable> Variables);

    /// <summary>Largest config.json accepted (the utility's own are a few kilobytes).</summary>
    public const long MaxJsonBytes = 1024 * 1024;

    /// <summary>Reads and converts a config.json file; problems are reported against that file.</summary>
    public static PartitionConfig ImportFile(string path, string partitionName)
    {
        string json;
        try
        {
            // Checked before reading: the utility's config is a few kilobytes, and what is far larger would make an
            // XML file the loader refuses anyway (its files are limited too).
            var length = new FileInfo(path).Length;
            if (length > MaxJsonBytes)
            {
                throw new ConfigException([new ConfigProblem(path, 1, 1,
                    $"file is {length} bytes, more than the {MaxJsonBytes} accepted for an s7sync config.json")]);
            }

            json = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigProblem(path, 1, 1, $"cannot read {path}: {e.Message}")]);
        }

        return Import(json, partitionName, path);
    }

    /// <summary>Converts the text of a config.json; <paramref name="sourceName"/> names it in problems.</summary>
    public static PartitionConfig Import(string json, string partitionName, string sourceName = "config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonBytes)
        {
            throw new ConfigException([new ConfigProblem(sourceName, 1, 1,
                $"text is {json.Length} characters, more than the {MaxJsonBytes} accepted for an s7sync config.json")]);
        }

        var problems = new ProblemList();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            // JsonException counts lines and bytes from 0.
            throw new ConfigException([new ConfigProblem(sourceName, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "not valid JSON: " + FirstSentence(e.Message))]);
        }

        using (document)
        {
            var root = document.RootElement;
            var at = new SourceLocation(sourceName, 1, 1);
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(at, "the top level must be an object");
                problems.ThrowIfAny();
            }

            var intervalMs = Int(root, "operationInterval", DefaultOperationIntervalMs, "operationInterval", at, problems);
            var httpPort = Int(root, "httpPort", DefaultHttpPort, "httpPort", at, problems);
            var globalSyncDb = Int(root, "syncDbNumber", DefaultSyncDb, "syncDbNumber", at, problems);
            var stallReads = Int(root, "heartbeatStallThreshold", 3, "heartbeatStallThreshold", at, problems);
            var plcs = ReadPlcs(root, globalSyncDb, at, problems);
            problems.ThrowIfAny();
            return Build(partitionName, plcs, intervalMs, httpPort, stallReads, at, problems);
        }
    }

    private static List<Plc> ReadPlcs(JsonElement root, int globalSyncDb, SourceLocation at, ProblemList problems)
    {
        var plcs = new List<Plc>();
        if (!root.TryGetProperty("plcs", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            problems.Add(at, "'plcs' must be a non-empty array");
            return plcs;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var plc in array.EnumerateArray())
        {
            var where = $"plcs[{index++}]";
            if (plc.ValueKind != JsonValueKind.Object)
            {
                problems.Add(at, $"{where} must be an object");
                continue;
            }

            var name = ToName(String(plc, "name", where, at, problems) ?? where);
            if (!names.Add(name))
            {
                problems.Add(at, $"{where}: duplicate PLC name '{name}'");
            }

            var variables = new List<Variable>();
            if (plc.TryGetProperty("variables", out var vars) && vars.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in vars.EnumerateObject())
                {
                    ReadVariable(property.Value, ToName(property.Name), $"{where}.variables.{property.Name}", variables, at, problems);
                }
            }
            else
            {
                problems.Add(at, $"{where}: 'variables' must be an object");
            }

            int? syncOffset = plc.TryGetProperty("syncDbOffset", out _) ? Int(plc, "syncDbOffset", 0, where + ".syncDbOffset", at, problems) : null;
            plcs.Add(new Plc(
                name,
                String(plc, "ip", where, at, problems) ?? "",
                Int(plc, "rack", 0, where + ".rack", at, problems),
                Int(plc, "slot", 1, where + ".slot", at, problems),
                Int(plc, "dbNumber", 0, where + ".dbNumber", at, problems, required: true),
                Int(plc, "syncDbNumber", globalSyncDb, where + ".syncDbNumber", at, problems),
                syncOffset,
                variables));
        }

        return plcs;
    }

    /// <summary>A descriptor, or an array of descriptors whose elements become NAME_0, NAME_1, ...</summary>
    private static void ReadVariable(JsonElement value, string name, string where, List<Variable> variables, SourceLocation at, ProblemList problems)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                ReadVariable(element, ToName($"{name}_{i}"), $"{where}[{i}]", variables, at, problems);
                i++;
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(at, $"{where} must be an object like {{\"type\": \"INT\", \"offset\": 2}}");
            return;
        }

        var type = (String(value, "type", where, at, problems) ?? "").ToUpperInvariant();
        switch (type)
        {
            case "BOOL":
                var bit = Int(value, "bit", 0, where + ".bit", at, problems);
                if (bit is < 0 or > 7)
                {
                    problems.Add(at, $"{where}.bit must be 0..7");
                }

                variables.Add(new Variable(name, type, Int(value, "byte", 0, where + ".byte", at, problems, required: true), bit));
                break;
            case "INT" or "REAL":
                variables.Add(new Variable(name, type, Int(value, "offset", 0, where + ".offset", at, problems, required: true), -1));
                break;
            default:
                problems.Add(at, $"{where}: type '{type}' is not one the utility knows (BOOL, INT, REAL)");
                break;
        }
    }

    private static PartitionConfig Build(string partitionName, List<Plc> plcs, int intervalMs, int httpPort, int stallReads, SourceLocation at, ProblemList problems)
    {
        // Per-PLC offsets in the sync DB: v1 gives them; v2 computes a running total in config order.
        var offsets = new int[plcs.Count];
        var total = 0;
        for (var i = 0; i < plcs.Count; i++)
        {
            var highest = -1;
            foreach (var v in plcs[i].Variables)
            {
                highest = Math.Max(highest, v.LastByte);
            }

            offsets[i] = plcs[i].SyncDbOffset ?? total;
            total = Math.Max(total, offsets[i] + ((highest + 2) & ~1));
        }

        // The heartbeat goes right after the end of the last variable (a BOOL counting one byte), unrounded.
        var heartbeatOffset = 0;
        for (var i = 0; i < plcs.Count; i++)
        {
            foreach (var v in plcs[i].Variables)
            {
                heartbeatOffset = Math.Max(heartbeatOffset, offsets[i] + v.LastByte + 1);
            }
        }

        var imageSize = (heartbeatOffset + ServerHeartbeatConfig.ByteLength + 1) & ~1;
        var cycle = TimeSpan.FromMilliseconds(intervalMs);
        var devices = new List<DeviceConfig>();
        var contributions = new List<SyncContribution>();
        var receivers = new List<SyncReceiver>();
        var watches = new List<DeviceHeartbeatConfig>();
        for (var i = 0; i < plcs.Count; i++)
        {
            var plc = plcs[i];
            var tags = new List<TagConfig>();
            foreach (var v in plc.Variables)
            {
                var address = v.Type switch
                {
                    "BOOL" => $"DB{plc.DbNumber}.DBX{v.Byte}.{v.Bit}",
                    "INT" => $"DB{plc.DbNumber}.DBW{v.Byte}",
                    _ => $"DB{plc.DbNumber}.DBD{v.Byte}",
                };
                var tag = S7Tag(v.Name, address, v.Type, 1, writable: false, at, problems);
                tags.Add(tag);
                contributions.Add(new SyncContribution
                {
                    Kind = SyncContributionKind.Variable,
                    Device = plc.Name,
                    Tag = v.Name,
                    ImageOffset = offsets[i] + v.Byte,
                    ImageBit = v.Type == "BOOL" ? v.Bit : -1,
                    ByteLength = tag.ByteLength,
                });
                if (v.Name == "heartbeat" && v.Type == "INT")
                {
                    watches.Add(new DeviceHeartbeatConfig { Device = plc.Name, Tag = v.Name, Timeout = TimeSpan.FromMilliseconds(Math.Max(1000, stallReads * intervalMs)) });
                }
            }

            var receiveName = UniqueName("sync_db", tags);
            tags.Add(S7Tag(receiveName, $"DB{plc.SyncDbNumber}.DBB0", "BYTE", imageSize, writable: true, at, problems));
            receivers.Add(new SyncReceiver { Device = plc.Name, Tag = receiveName });
            devices.Add(new DeviceConfig
            {
                Name = plc.Name,
                Protocol = Protocol.S7,
                Connection = new S7ConnectionConfig { Host = plc.Host, Rack = plc.Rack, Slot = plc.Slot },
                PollGroups = [new PollGroupConfig { Name = "sync", CycleTime = cycle, Tags = tags }],
            });
        }

        problems.ThrowIfAny();
        return new PartitionConfig
        {
            Name = ToName(partitionName),
            EndpointFiles = [new EndpointFileConfig { Protocol = Protocol.S7, Devices = devices }],
            Sync = new SyncConfig
            {
                CycleTime = cycle,
                ImageSize = imageSize,
                Contributions = contributions,
                ServerHeartbeat = new ServerHeartbeatConfig { ImageOffset = heartbeatOffset, Modulo = 256 },
                Receivers = receivers,
                DeviceHeartbeats = watches,
            },
            Consumers = new ConsumersConfig { Http = new HttpEndpointConfig { Port = httpPort } },
        };
    }

    private static TagConfig S7Tag(string name, string address, string type, int length, bool writable, SourceLocation at, ProblemList problems)
    {
        if (!S7TagAddress.TryParse(address, type, length, 0, out var parsed, out var size, out var error))
        {
            problems.Add(at, $"tag '{name}': {error}");
        }

        return new TagConfig
        {
            Name = name,
            Address = address,
            DataType = type,
            ArrayLength = length,
            Writable = writable,
            PollGroup = "sync",
            S7Address = error.Length == 0 ? parsed : null,
            ByteLength = size,
        };
    }

    private static string UniqueName(string wanted, List<TagConfig> tags)
    {
        var name = wanted;
        for (var n = 2; tags.Exists(t => t.Name == name); n++)
        {
            name = $"{wanted}{n}";
        }

        return name;
    }

    /// <summary>Maps a name onto [A-Za-z0-9_-]{1,48}: other characters become '_', longer names are cut.</summary>
    private static string ToName(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 48));
        foreach (var c in text)
        {
            if (builder.Length == 48)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }

    private static string? String(JsonElement element, string property, string where, SourceLocation at, ProblemList problems)
    {
        if (element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add(at, $"{where}: '{property}' must be a non-empty string");
        return null;
    }

    private static int Int(JsonElement element, string property, int fallback, string where, SourceLocation at, ProblemList problems, bool required = false)
    {
        if (!element.TryGetProperty(property, out var value))
        {
            if (required)
            {
                problems.Add(at, $"{where} is missing");
            }

            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0)
        {
            return number;
        }

        problems.Add(at, $"{where} must be a whole number of 0 or more, not {value.GetRawText()}");
        return fallback;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).Trim();
    }
}
