namespace EdgePartition.Config;

/// <summary>One field device: its protocol, how to reach it, and what to read from it.</summary>
public sealed class DeviceConfig
{
    /// <summary>Device name ([A-Za-z0-9_-]{1,48}), unique in the partition; part of its segment file name.</summary>
    public required string Name { get; init; }

    public required Protocol Protocol { get; init; }

    /// <summary>
    /// Connection settings: an <see cref="S7ConnectionConfig"/>, <see cref="ModbusConnectionConfig"/>,
    /// <see cref="OpcUaConnectionConfig"/> or <see cref="SimConnectionConfig"/>, matching <see cref="Protocol"/>.
    /// </summary>
    public required ConnectionConfig Connection { get; init; }

    /// <summary>Poll groups in file order; every tag belongs to exactly one.</summary>
    public required IReadOnlyList<PollGroupConfig> PollGroups { get; init; }

    /// <summary>Every tag of the device, in file order (poll group by poll group).</summary>
    public IReadOnlyList<TagConfig> Tags => _tags ??= FlattenTags(PollGroups);

    public SourceLocation? Location { get; init; }

    public S7ConnectionConfig S7 => Connection as S7ConnectionConfig ?? throw WrongProtocol(Protocol.S7);

    public ModbusConnectionConfig Modbus => Connection as ModbusConnectionConfig ?? throw WrongProtocol(Protocol.Modbus);

    public OpcUaConnectionConfig OpcUa => Connection as OpcUaConnectionConfig ?? throw WrongProtocol(Protocol.OpcUa);

    private IReadOnlyList<TagConfig>? _tags;

    /// <summary>The tag with this name (case-sensitive), or null.</summary>
    public TagConfig? FindTag(string name)
    {
        foreach (var tag in Tags)
        {
            if (tag.Name == name)
            {
                return tag;
            }
        }

        return null;
    }

    /// <summary>The tag with this name; throws when there is none (the loader has checked every reference).</summary>
    public TagConfig GetTag(string name) =>
        FindTag(name) ?? throw new KeyNotFoundException($"device '{Name}' has no tag '{name}'");

    private InvalidOperationException WrongProtocol(Protocol wanted) =>
        new($"device '{Name}' is a {Protocol} device, not {wanted}");

    private static TagConfig[] FlattenTags(IReadOnlyList<PollGroupConfig> groups)
    {
        var tags = new List<TagConfig>();
        foreach (var group in groups)
        {
            tags.AddRange(group.Tags);
        }

        return [.. tags];
    }
}
