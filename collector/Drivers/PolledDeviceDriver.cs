using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;
using EdgePartition.Protocols;

namespace EdgePartition.Collector.Drivers;

/// <summary>A poll group's reader: stages the values of its last read into the segment.</summary>
internal interface IPollGroupReader
{
    /// <summary>Stages every tag of the group; a tag the device refused gets a bad quality.</summary>
    /// <returns>How many tags failed.</returns>
    int Stage(SegmentWriter writer, long nowUnixNs);
}

/// <summary>
/// What the S7 and Modbus drivers share: one codec per tag, one reader per poll group built from those codecs, and
/// a group read that turns a lost link into <see cref="DeviceLinkException"/>. A subclass owns its client, how a
/// group is read over it, and which errors mean the link is gone.
/// </summary>
internal abstract class PolledDeviceDriver<TCodec, TGroup>
    where TGroup : IPollGroupReader
{
    private protected PolledDeviceDriver(
        DeviceLayout layout, string host, int port, Func<TagMapping, TCodec> createCodec, Func<TCodec[], TGroup> createGroup)
    {
        Endpoint = $"{host}:{port}";
        Codecs = new TCodec[layout.Tags.Count];
        for (var i = 0; i < Codecs.Length; i++)
        {
            Codecs[i] = createCodec(layout.Tags[i]);
        }

        var groups = DriverGroups.Build(layout);
        Groups = new TGroup[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var codecs = new TCodec[groups[g].Length];
            for (var t = 0; t < codecs.Length; t++)
            {
                codecs[t] = Codecs[groups[g][t].Index];
            }

            Groups[g] = createGroup(codecs);
        }
    }

    public string Endpoint { get; }

    /// <summary>One codec per tag, by tag index.</summary>
    private protected TCodec[] Codecs { get; }

    /// <summary>One reader per poll group, in poll-group order.</summary>
    private protected TGroup[] Groups { get; }

    public async ValueTask<int> ReadGroupAsync(int group, SegmentWriter writer, CancellationToken cancellationToken)
    {
        var reader = Groups[group];
        try
        {
            await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (LinkFailure.IsLinkDown(error))
        {
            throw new DeviceLinkException($"read of poll group {group} from {Endpoint} failed: {error.Message}", error);
        }

        return reader.Stage(writer, UnixTime.NowNs());
    }

    /// <summary>Reads the group's plan into its reused buffer and statuses.</summary>
    private protected abstract ValueTask ReadAsync(TGroup reader, CancellationToken cancellationToken);
}
