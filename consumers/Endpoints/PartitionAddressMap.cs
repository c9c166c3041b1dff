using System.Globalization;
using EdgePartition.Config;
using EdgePartition.Config.Layout;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// The deterministic address map of a partition on the S7 and Modbus endpoints (consumers/Endpoints/README.md):
/// S7 DB1 = sync's merged image, DB(1001+i) = device i's tags; Modbus registers 0.. = the merged image,
/// 1000 + 1000·i.. = device i's tags. Built from the config alone, so it can be printed before anything runs.
/// </summary>
public sealed class PartitionAddressMap
{
    public const int S7ImageDb = 1;
    public const int S7FirstDeviceDb = 1001;
    public const int ModbusImageRegister = 0;
    public const int ModbusFirstDeviceRegister = 1000;
    public const int ModbusRegistersPerBlock = 1000;

    /// <summary>The S7 STRING length byte caps characters at 254.</summary>
    public const int MaxS7StringCharacters = 254;

    private const string SyncSegment = SyncSegmentTags.SegmentName;
    private const string ImageTag = SyncSegmentTags.Image;

    private PartitionAddressMap(EndpointProtocol protocol, MappedBlock[] blocks, List<string> unmapped)
    {
        Protocol = protocol;
        Blocks = blocks;
        Unmapped = unmapped;
    }

    public EndpointProtocol Protocol { get; }

    /// <summary>The image block (when the partition has sync rules) first, then one block per device in config order.</summary>
    public IReadOnlyList<MappedBlock> Blocks { get; }

    /// <summary>Tags left out, each with the reason ("plc1.text: ...").</summary>
    public IReadOnlyList<string> Unmapped { get; }

    public static PartitionAddressMap Build(PartitionConfig config, EndpointProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(config);
        var blocks = new List<MappedBlock>();
        var unmapped = new List<string>();
        if (config.Sync is { ImageSize: > 0 } sync)
        {
            blocks.Add(ImageBlock(sync.ImageSize, protocol, unmapped));
        }

        var devices = config.Devices;
        for (var i = 0; i < devices.Count; i++)
        {
            int number = protocol == EndpointProtocol.S7 ? S7FirstDeviceDb + i : ModbusFirstDeviceRegister + (ModbusRegistersPerBlock * i);
            if (number > (protocol == EndpointProtocol.S7 ? ushort.MaxValue : ushort.MaxValue + 1 - ModbusRegistersPerBlock))
            {
                unmapped.Add($"{devices[i].Name}: no room for device {i} in the {protocol} address space");
                continue;
            }

            blocks.Add(DeviceBlock(devices[i], number, protocol, unmapped));
        }

        return new PartitionAddressMap(protocol, [.. blocks], unmapped);
    }

    /// <summary>The block with this DB number (S7) or holding <paramref name="numberOrRegister"/> (Modbus), or null.</summary>
    public MappedBlock? FindBlock(int numberOrRegister)
    {
        foreach (var block in Blocks)
        {
            bool hit = Protocol == EndpointProtocol.S7
                ? block.Number == numberOrRegister
                : numberOrRegister >= block.Number && numberOrRegister < block.Number + block.RegisterCount;
            if (hit)
            {
                return block;
            }
        }

        return null;
    }

    /// <summary>A table an operator can read: one line per block and per tag.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var inv = CultureInfo.InvariantCulture;
        foreach (var block in Blocks)
        {
            writer.WriteLine(Protocol == EndpointProtocol.S7
                ? string.Create(inv, $"DB{block.Number} ({block.Length} bytes): {block.Segment}")
                : string.Create(inv, $"registers {block.Number}..{block.Number + block.RegisterCount - 1} (holding and input): {block.Segment}"));
            foreach (var tag in block.Tags)
            {
                string where = Protocol == EndpointProtocol.S7
                    ? string.Create(inv, $"DB{block.Number}.DBB{tag.Offset}")
                    : string.Create(inv, $"register {block.Number + (tag.Offset / 2)}");
                string count = tag.ElementCount > 1 ? string.Create(inv, $"[{tag.ElementCount}]") : "";
                writer.WriteLine(string.Create(inv,
                    $"  {where,-22} {tag.Length,5} B  {tag.Name} {tag.SegmentType}{count}{(tag.Writable ? " writable" : "")}"));
            }
        }

        foreach (var line in Unmapped)
        {
            writer.WriteLine($"  not mapped: {line}");
        }
    }

    public override string ToString()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        WriteTo(text);
        return text.ToString();
    }

    private static MappedBlock ImageBlock(int imageSize, EndpointProtocol protocol, List<string> unmapped)
    {
        int length = imageSize;
        if (protocol == EndpointProtocol.Modbus)
        {
            int room = 2 * (ModbusFirstDeviceRegister - ModbusImageRegister);
            if (length > room)
            {
                unmapped.Add($"{SyncSegment}.{ImageTag}: bytes {room}..{imageSize - 1} do not fit below register {ModbusFirstDeviceRegister}");
                length = room;
            }

            length = (length + 1) & ~1;
        }

        // The image is sync's u8[imageSize] tag (SyncSegmentTags, the one declaration both sides use), packed one byte
        // per byte of the block: two per register on Modbus. Its index is resolved by name at attach (sync may add tags).
        int mapped = Math.Min(length, imageSize);
        var tag = new MappedTag(ImageTag, -1, SyncSegmentTags.ImageElementType, mapped, 0, 0, ElementSize: 1, 0, Writable: false);
        int number = protocol == EndpointProtocol.S7 ? S7ImageDb : ModbusImageRegister;
        return new MappedBlock(SyncSegment, IsDevice: false, number, length, [tag]);
    }

    private static MappedBlock DeviceBlock(DeviceConfig device, int number, EndpointProtocol protocol, List<string> unmapped)
    {
        int limit = protocol == EndpointProtocol.S7 ? ushort.MaxValue + 1 : 2 * ModbusRegistersPerBlock;
        var tags = new List<MappedTag>(device.Tags.Count);
        int offset = 0;
        for (var index = 0; index < device.Tags.Count; index++)
        {
            var config = device.Tags[index];
            if (SegmentTagTypes.Of(device.Protocol, config) is not { } shape)
            {
                unmapped.Add($"{device.Name}.{config.Name}: type {config.DataType} has no fixed size");
                continue;
            }

            int characters = Math.Min(shape.Characters, MaxS7StringCharacters);
            int elementSize = ElementSize(shape, characters, protocol);
            int length = elementSize * shape.ElementCount;
            if (offset + length > limit)
            {
                unmapped.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{device.Name}.{config.Name}: {length} bytes at offset {offset} pass the block's {limit} bytes"));
                continue;
            }

            tags.Add(new MappedTag(config.Name, index, shape.Type, shape.ElementCount, shape.MaxLength, offset, elementSize, characters, config.Writable));
            offset = (offset + length + 1) & ~1;
        }

        return new MappedBlock(device.Name, IsDevice: true, number, Math.Max(2, offset), tags);
    }

    private static int ElementSize(TagSlotShape shape, int characters, EndpointProtocol protocol)
    {
        bool s7 = protocol == EndpointProtocol.S7;
        return shape.Type switch
        {
            IpcDataType.Bool or IpcDataType.Int8 or IpcDataType.UInt8 => s7 ? 1 : 2,
            IpcDataType.String => s7 ? 2 + characters : (characters + 1) & ~1,
            IpcDataType.Bytes => s7 ? shape.MaxLength : (shape.MaxLength + 1) & ~1,
            _ => SegmentLayout.ElementSizeOf(shape.Type, 0),
        };
    }
}
