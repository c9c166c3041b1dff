using System.Xml.Linq;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Turns the sync element into a resolved <see cref="SyncConfig"/>: checks every device and tag reference, computes
/// the image offsets left out (the s7sync v2 rule), places heartbeat and alive flags, sizes the image, and checks
/// that nothing in the image overlaps, that receivers can hold the image and that request/ack pairs can work.
/// </summary>
internal sealed class SyncResolver(IReadOnlyList<DeviceConfig> devices, XmlValues values, ProblemList problems)
{
    private readonly XNamespace _ns = ConfigSchemas.PartitionNamespace;

    private sealed record Pending(XElement Element, SyncContributionKind Kind, DeviceConfig Device, TagConfig Tag, int? Offset, int Bit, int Length);

    public SyncConfig? Resolve(XElement element)
    {
        var before = problems.Count;
        var pending = new List<Pending>();
        foreach (var child in element.Elements())
        {
            var kind = child.Name.LocalName switch
            {
                "block" => SyncContributionKind.Block,
                "variable" => SyncContributionKind.Variable,
                _ => (SyncContributionKind?)null,
            };
            if (kind is { } k && ResolveContribution(child, k) is { } resolved)
            {
                pending.Add(resolved);
            }
        }

        var contributions = PlaceContributions(pending);
        var heartbeat = ResolveHeartbeat(element.Element(_ns + "serverHeartbeat"), contributions);
        var alive = ResolveAliveFlags(element.Element(_ns + "aliveFlags"), contributions, heartbeat);
        var imageSize = ResolveImageSize(element, contributions, heartbeat, alive);
        CheckImageOverlaps(contributions, heartbeat, alive);

        var sync = new SyncConfig
        {
            CycleTime = XmlValues.Milliseconds(element, "cycleMs", TimeSpan.FromMilliseconds(50)),
            FullRefreshInterval = XmlValues.Milliseconds(element, "fullRefreshMs", TimeSpan.FromSeconds(5)),
            ImageSize = imageSize,
            Contributions = contributions,
            ServerHeartbeat = heartbeat,
            AliveFlags = alive,
            Receivers = ResolveReceivers(element, imageSize),
            DeviceHeartbeats = ResolveDeviceHeartbeats(element),
            RequestAcks = ResolveRequestAcks(element, contributions),
            Location = values.At(element),
        };
        return problems.Count == before ? sync : null;
    }

    private Pending? ResolveContribution(XElement element, SyncContributionKind kind)
    {
        if (!TryFindTag(element, "device", "tag", out var device, out var tag))
        {
            return null;
        }

        var isBool = IsBoolean(tag);
        var at = values.At(element, "tag");
        if (tag.ByteLength == 0)
        {
            problems.Add(at, $"tag '{tag.Name}' of device '{device.Name}' is a {tag.DataType}, which has no fixed byte size to copy into the image");
            return null;
        }

        if (kind == SyncContributionKind.Block && isBool)
        {
            problems.Add(at, $"block '{tag.Name}' of device '{device.Name}' is a BOOL; a block is a byte array (e.g. DB100.DBB0, type BYTE, length 32); use <variable> for a single bit");
            return null;
        }

        var bit = -1;
        if (kind == SyncContributionKind.Variable && isBool && tag.ArrayLength == 1)
        {
            bit = XmlValues.OptionalInt(element, "imageBit") ?? tag.S7Address?.Bit ?? 0;
        }
        else if (element.Attribute("imageBit") is { } imageBit)
        {
            problems.Add(values.At(imageBit), $"imageBit only applies to a single BOOL; tag '{tag.Name}' is a {tag.DataType}");
        }

        return new Pending(element, kind, device, tag, XmlValues.OptionalInt(element, "imageOffset"), bit, tag.ByteLength);
    }

    /// <summary>
    /// Explicit offsets stay. The rest follow the s7sync v2 rule after the explicit ones: devices in order of first
    /// contribution get consecutive regions; a contribution sits at its S7 tag's own byte address inside its device's
    /// region (other protocols are packed in file order); each region is the highest used byte + 1, rounded up to even.
    /// </summary>
    private List<SyncContribution> PlaceContributions(List<Pending> pending)
    {
        var explicitEnd = 0;
        foreach (var p in pending)
        {
            if (p.Offset is { } offset)
            {
                explicitEnd = Math.Max(explicitEnd, offset + p.Length);
            }
        }

        var computed = new Dictionary<Pending, int>();
        var regionStart = RoundUpEven(explicitEnd);
        var deviceOrder = new List<DeviceConfig>();
        foreach (var p in pending)
        {
            if (p.Offset is null && !deviceOrder.Contains(p.Device))
            {
                deviceOrder.Add(p.Device);
            }
        }

        foreach (var device in deviceOrder)
        {
            var packed = 0;
            var highestEnd = 0;
            foreach (var p in pending)
            {
                if (p.Offset is not null || p.Device != device)
                {
                    continue;
                }

                var local = p.Tag.S7Address is { } s7 ? s7.Offset : packed;
                packed = local + p.Length;
                highestEnd = Math.Max(highestEnd, local + p.Length);
                computed[p] = regionStart + local;
            }

            regionStart += RoundUpEven(highestEnd);
        }

        var contributions = new List<SyncContribution>(pending.Count);
        foreach (var p in pending)
        {
            var offset = p.Offset ?? computed[p];
            if (offset + p.Length > ushort.MaxValue + 1)
            {
                problems.Add(values.At(p.Element), $"'{p.Tag.Name}' of device '{p.Device.Name}' would end at image byte {offset + p.Length}, past the 64 KiB image limit");
            }

            contributions.Add(new SyncContribution
            {
                Kind = p.Kind,
                Device = p.Device.Name,
                Tag = p.Tag.Name,
                ImageOffset = offset,
                ImageBit = p.Bit,
                ByteLength = p.Length,
                Location = values.At(p.Element),
            });
        }

        return contributions;
    }

    private ServerHeartbeatConfig? ResolveHeartbeat(XElement? element, List<SyncContribution> contributions)
    {
        if (element is null)
        {
            return null;
        }

        // Default: right after the last contribution, unrounded, exactly where the s7sync utility put it.
        return new ServerHeartbeatConfig
        {
            ImageOffset = XmlValues.OptionalInt(element, "imageOffset") ?? EndOf(contributions),
            Modulo = XmlValues.Int(element, "modulo", 256),
            Location = values.At(element),
        };
    }

    private AliveFlagsConfig? ResolveAliveFlags(XElement? element, List<SyncContribution> contributions, ServerHeartbeatConfig? heartbeat)
    {
        if (element is null)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var device in element.Elements(_ns + "device"))
        {
            var name = XmlValues.Required(device, "name");
            if (FindDevice(name) is null)
            {
                problems.Add(values.At(device, "name"), $"alive flag for unknown device '{name}'{KnownDevices()}");
            }
            else if (names.Contains(name))
            {
                problems.Add(values.At(device, "name"), $"device '{name}' has two alive flags");
            }
            else
            {
                names.Add(name);
            }
        }

        if (!element.Elements(_ns + "device").Any())
        {
            foreach (var device in devices)
            {
                names.Add(device.Name);
            }
        }

        var defaultOffset = heartbeat is null ? EndOf(contributions) : Math.Max(EndOf(contributions), heartbeat.ImageOffset + ServerHeartbeatConfig.ByteLength);
        return new AliveFlagsConfig
        {
            ImageOffset = XmlValues.OptionalInt(element, "imageOffset") ?? defaultOffset,
            Devices = names,
            Location = values.At(element),
        };
    }

    private int ResolveImageSize(XElement element, List<SyncContribution> contributions, ServerHeartbeatConfig? heartbeat, AliveFlagsConfig? alive)
    {
        var end = EndOf(contributions);
        if (heartbeat is not null)
        {
            end = Math.Max(end, heartbeat.ImageOffset + ServerHeartbeatConfig.ByteLength);
        }

        if (alive is not null)
        {
            end = Math.Max(end, alive.ImageOffset + alive.ByteLength);
        }

        var needed = RoundUpEven(end);
        if (XmlValues.OptionalInt(element, "imageSize") is not { } given)
        {
            return needed;
        }

        if (given < end)
        {
            problems.Add(values.At(element, "imageSize"), $"imageSize {given} is too small: the image's fields end at byte {end}");
        }

        return given;
    }

    /// <summary>Nothing in the image may share a bit with anything else: contributions, heartbeat and alive flags.</summary>
    private void CheckImageOverlaps(List<SyncContribution> contributions, ServerHeartbeatConfig? heartbeat, AliveFlagsConfig? alive)
    {
        var fields = new List<(long Start, long End, string What, SourceLocation At)>();
        foreach (var c in contributions)
        {
            var start = (c.ImageOffset * 8L) + Math.Max(c.ImageBit, 0);
            var bits = c.IsBit ? 1 : c.ByteLength * 8L;
            fields.Add((start, start + bits, $"{c.Kind.ToString().ToLowerInvariant()} '{c.Device}.{c.Tag}'", c.Location!));
        }

        if (heartbeat is not null)
        {
            fields.Add((heartbeat.ImageOffset * 8L, (heartbeat.ImageOffset + ServerHeartbeatConfig.ByteLength) * 8L, "the server heartbeat", heartbeat.Location!));
        }

        if (alive is not null && alive.Devices.Count > 0)
        {
            fields.Add((alive.ImageOffset * 8L, (alive.ImageOffset * 8L) + alive.Devices.Count, "the alive flags", alive.Location!));
        }

        fields.Sort((a, b) => a.Start.CompareTo(b.Start));
        var furthest = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            if (furthest >= 0 && fields[furthest].End > fields[i].Start)
            {
                var other = fields[furthest];
                problems.Add(fields[i].At, $"{fields[i].What} at image byte {fields[i].Start / 8} overlaps {other.What} (image bytes {other.Start / 8}..{((other.End + 7) / 8) - 1})");
            }

            if (furthest < 0 || fields[i].End > fields[furthest].End)
            {
                furthest = i;
            }
        }
    }

    private List<SyncReceiver> ResolveReceivers(XElement element, int imageSize)
    {
        var receivers = new List<SyncReceiver>();
        foreach (var receive in element.Elements(_ns + "receive"))
        {
            if (!TryFindTag(receive, "device", "tag", out var device, out var tag))
            {
                continue;
            }

            var at = values.At(receive, "tag");
            if (!tag.Writable)
            {
                problems.Add(at, $"receive tag '{tag.Name}' of device '{device.Name}' must be writable (writable=\"true\"): sync writes the image into it");
            }

            if (IsBoolean(tag) || tag.ByteLength < imageSize)
            {
                problems.Add(at, $"receive tag '{tag.Name}' of device '{device.Name}' holds {tag.ByteLength} bytes, but the image is {imageSize}; declare it as a byte array of at least {imageSize} (e.g. type BYTE, length {imageSize})");
            }

            if (receivers.Exists(r => r.Device == device.Name))
            {
                problems.Add(values.At(receive, "device"), $"device '{device.Name}' already receives the image");
            }

            receivers.Add(new SyncReceiver { Device = device.Name, Tag = tag.Name, Location = values.At(receive) });
        }

        return receivers;
    }

    private List<DeviceHeartbeatConfig> ResolveDeviceHeartbeats(XElement element)
    {
        var watches = new List<DeviceHeartbeatConfig>();
        foreach (var watch in element.Elements(_ns + "deviceHeartbeat"))
        {
            if (!TryFindTag(watch, "device", "tag", out var device, out var tag))
            {
                continue;
            }

            if (watches.Exists(w => w.Device == device.Name))
            {
                problems.Add(values.At(watch, "device"), $"device '{device.Name}' already has a heartbeat watch");
            }

            watches.Add(new DeviceHeartbeatConfig
            {
                Device = device.Name,
                Tag = tag.Name,
                Timeout = XmlValues.Milliseconds(watch, "timeoutMs", TimeSpan.FromSeconds(3)),
                Location = values.At(watch),
            });
        }

        return watches;
    }

    private List<RequestAckConfig> ResolveRequestAcks(XElement element, List<SyncContribution> contributions)
    {
        var pairs = new List<RequestAckConfig>();
        foreach (var pair in element.Elements(_ns + "requestAck"))
        {
            var name = XmlValues.Required(pair, "name");
            if (pairs.Exists(p => p.Name == name))
            {
                problems.Add(values.At(pair, "name"), $"duplicate request/ack pair name '{name}'");
            }

            var withdraws = XmlValues.Bool(pair, "withdrawOnTimeout", false);
            var requestOk = TryFindTag(pair, "requester", "requestTag", out var requester, out var request);
            var ackOk = TryFindTag(pair, "requester", "ackTag", out _, out var ack, reportDevice: false);
            var stateOk = TryFindTag(pair, "executor", "stateTag", out var executor, out var state);
            if (requestOk)
            {
                // Only a withdrawing pair writes, and only its request tag (to 0); the ack tag is the requester's alone.
                if (withdraws)
                {
                    CheckRequestWritable(pair, requester, request);
                }

                CheckInImage(pair, "requestTag", requester, request, contributions);
            }

            if (ackOk)
            {
                CheckInImage(pair, "ackTag", requester, ack, contributions);
            }

            if (stateOk)
            {
                CheckInImage(pair, "stateTag", executor, state, contributions);
            }

            pairs.Add(new RequestAckConfig
            {
                Name = name,
                RequesterDevice = XmlValues.Required(pair, "requester"),
                RequestTag = XmlValues.Required(pair, "requestTag"),
                AckTag = XmlValues.Required(pair, "ackTag"),
                ExecutorDevice = XmlValues.Required(pair, "executor"),
                StateTag = XmlValues.Required(pair, "stateTag"),
                Timeout = XmlValues.Milliseconds(pair, "timeoutMs", TimeSpan.FromSeconds(10)),
                WithdrawOnTimeout = withdraws,
                Location = values.At(pair),
            });
        }

        return pairs;
    }

    private void CheckRequestWritable(XElement pair, DeviceConfig device, TagConfig tag)
    {
        if (!tag.Writable)
        {
            problems.Add(values.At(pair, "requestTag"), $"request tag '{tag.Name}' of device '{device.Name}' must be writable (writable=\"true\") because the pair has withdrawOnTimeout=\"true\": sync clears a timed-out request through it");
        }
    }

    /// <summary>A tag of a pair must travel in the image: a variable of that tag, or a block of its device containing it.</summary>
    private void CheckInImage(XElement pair, string attribute, DeviceConfig device, TagConfig tag, List<SyncContribution> contributions)
    {
        foreach (var c in contributions)
        {
            if (c.Device != device.Name)
            {
                continue;
            }

            if (c.Tag == tag.Name || (c.Kind == SyncContributionKind.Block && Contains(device.GetTag(c.Tag), tag)))
            {
                return;
            }
        }

        problems.Add(values.At(pair, attribute), $"tag '{tag.Name}' of device '{device.Name}' is not part of the merged image, so the other side never sees it; add a <variable> for it or a <block> that contains it");
    }

    private static bool Contains(TagConfig block, TagConfig tag) =>
        block.S7Address is { } b && tag.S7Address is { } t && b.Area == t.Area && b.DbNumber == t.DbNumber && t.Offset >= b.Offset && t.Offset + tag.ByteLength <= b.Offset + block.ByteLength;

    private bool TryFindTag(XElement element, string deviceAttribute, string tagAttribute, out DeviceConfig device, out TagConfig tag, bool reportDevice = true)
    {
        device = null!;
        tag = null!;
        var deviceName = XmlValues.Required(element, deviceAttribute);
        var tagName = XmlValues.Required(element, tagAttribute);
        if (FindDevice(deviceName) is not { } found)
        {
            if (reportDevice)
            {
                problems.Add(values.At(element, deviceAttribute), $"unknown device '{deviceName}'{KnownDevices()}");
            }

            return false;
        }

        device = found;
        if (found.FindTag(tagName) is not { } foundTag)
        {
            problems.Add(values.At(element, tagAttribute), $"device '{deviceName}' has no tag '{tagName}'");
            return false;
        }

        tag = foundTag;
        return true;
    }

    private DeviceConfig? FindDevice(string name)
    {
        foreach (var device in devices)
        {
            if (device.Name == name)
            {
                return device;
            }
        }

        return null;
    }

    private string KnownDevices()
    {
        if (devices.Count == 0)
        {
            return " (the partition has no devices)";
        }

        var names = new List<string>();
        foreach (var device in devices)
        {
            names.Add(device.Name);
        }

        return $" (known: {string.Join(", ", names)})";
    }

    private static bool IsBoolean(TagConfig tag) => tag.DataType is "BOOL" or "bit" or "Boolean" or "bool";

    private static int EndOf(List<SyncContribution> contributions)
    {
        var end = 0;
        foreach (var c in contributions)
        {
            end = Math.Max(end, c.End);
        }

        return end;
    }

    private static int RoundUpEven(int value) => (value + 1) & ~1;
}
