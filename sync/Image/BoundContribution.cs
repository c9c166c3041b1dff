using EdgePartition.Config;
using EdgePartition.Sync.Devices;

namespace EdgePartition.Sync.Image;

/// <summary>A contribution joined to its device source, tag handle and tag config once, at start-up.</summary>
internal sealed class BoundContribution(SyncContribution contribution, DeviceSource source, int tagHandle, TagConfig tag, Protocol protocol)
{
    public SyncContribution Contribution { get; } = contribution;

    public DeviceSource Source { get; } = source;

    public int TagHandle { get; } = tagHandle;

    public TagConfig Tag { get; } = tag;

    public Protocol Protocol { get; } = protocol;

    /// <summary>The device's value format, decided here once instead of per merge.</summary>
    public DeviceValueFormat Format { get; } = DeviceValueFormat.Of(tag, protocol);

    /// <summary>Set once the value could not be reproduced raw, so the warning is logged once.</summary>
    public bool ReportedUnsupported { get; set; }
}
