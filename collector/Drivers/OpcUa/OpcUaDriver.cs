using EdgePartition.Collector.Layout;
using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.OpcUa;
using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;
using EdgePartition.Protocols;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// An OPC UA server over one <see cref="OpcUaClient"/> (any security policy and identity, see OpcUaSecurityOptions). Each poll group is one
/// Read of the Value attribute of its nodes; browse-path addresses are translated after every connect (node ids
/// may change when the server restarts). A bad status of one node fails that tag, not the connection.
/// </summary>
internal sealed class OpcUaDriver : PolledDeviceDriver<OpcUaTagCodec, OpcUaGroupReader>, IDeviceDriver
{
    private readonly OpcUaClient _client;
    private readonly string? _unsupported;

    /// <summary>Per poll group: its subscription in subscription mode (the default), null in poll mode.</summary>
    private readonly OpcUaSubscriptionGroup?[] _subscriptions;

    public OpcUaDriver(DeviceLayout layout)
        : this(layout, layout.Device.OpcUa, EndpointAddress.Parse(layout.Device.OpcUa.EndpointUrl))
    {
    }

    private OpcUaDriver(DeviceLayout layout, OpcUaConnectionConfig connection, EndpointAddress address)
        : base(layout, address.Host, address.Port, tag => new OpcUaTagCodec(tag), codecs => new OpcUaGroupReader(codecs))
    {
        _unsupported = UnsupportedFeature(connection);
        var groups = DriverGroups.Build(layout);
        _subscriptions = new OpcUaSubscriptionGroup?[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var config = layout.Device.PollGroups[g];
            if ((config.OpcUa ?? OpcUaGroupConfig.Default).Mode == OpcUaGroupMode.Subscription)
            {
                _subscriptions[g] = new OpcUaSubscriptionGroup([.. groups[g].Select(tag => Codecs[tag.Index])], config);
            }
        }

        var options = new OpcUaClientOptions
        {
            EndpointUrl = connection.EndpointUrl,
            ApplicationUri = connection.ApplicationUri,
            SessionName = $"EdgePartition {layout.Device.Name}",
            ConnectTimeout = connection.Timeout,
            RequestTimeout = connection.Timeout,
        };
        try
        {
            // Issue 14: security policy, PKI, identity and secrets.
            options = OpcUaSecurityOptions.Apply(options, connection);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or System.Security.Cryptography.CryptographicException)
        {
            _unsupported = $"OPC UA security settings of {layout.Device.Name} cannot be used: {error.Message}";
        }

        _client = new OpcUaClient(options);
    }

    public long BytesIn => _client.BytesIn;

    public long BytesOut => _client.BytesOut;

    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        if (_unsupported is not null)
        {
            throw new DeviceLinkException(_unsupported) { Quality = IpcQuality.BadNotConnected, IsPermanent = true };
        }

        try
        {
            await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await ResolveBrowsePathsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var subscription in _subscriptions)
            {
                if (subscription is not null)
                {
                    await subscription.SubscribeAsync(_client, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OpcUaProtocolException error)
        {
            await _client.DropConnectionAsync().ConfigureAwait(false);
            throw new DeviceLinkException($"connect to {Endpoint} failed: {error.Message}", error) { Quality = IpcQuality.BadNotConnected };
        }
    }

    public async ValueTask DisconnectAsync() => await _client.DisconnectAsync().ConfigureAwait(false);

    /// <summary>The session and its subscriptions stay for the next connect to re-activate (Part 4 §6.7).</summary>
    public async ValueTask DropLinkAsync() => await _client.DropConnectionAsync().ConfigureAwait(false);

    /// <summary>
    /// A subscription group stages what its notifications delivered since the last cycle (and retries refused items);
    /// a poll group is read. A subscription that fell silent means the link is gone.
    /// </summary>
    public new async ValueTask<int> ReadGroupAsync(int group, SegmentWriter writer, CancellationToken cancellationToken)
    {
        var subscription = _subscriptions[group];
        if (subscription is null)
        {
            return await base.ReadGroupAsync(group, writer, cancellationToken).ConfigureAwait(false);
        }

        if (subscription.IsSilent || !_client.IsConnected)
        {
            throw new DeviceLinkException($"subscription of poll group {group} on {Endpoint} stopped: no data or keep-alive from the server");
        }

        try
        {
            await subscription.RetryRefusedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OpcUaProtocolException error) when (error.IsLinkDown)
        {
            throw new DeviceLinkException($"retrying refused items of poll group {group} on {Endpoint} failed: {error.Message}", error);
        }
        catch (OpcUaProtocolException)
        {
            // The server refused the retry itself: the items keep their bad status and are tried again later.
        }

        return subscription.Stage(writer, UnixTime.NowNs());
    }

    private protected override ValueTask ReadAsync(OpcUaGroupReader reader, CancellationToken cancellationToken) =>
        new(_client.ReadAsync(reader.Nodes, reader.Results, cancellationToken));

    public async ValueTask<WriteOutcome> WriteAsync(WriteCommand command, CancellationToken cancellationToken)
    {
        var codec = Codecs[command.Tag.Index];
        if (StatusCodes.IsBad(codec.ResolveStatus))
        {
            return WriteOutcome.Failed(codec.ResolveStatus, $"browse path of '{command.Tag.Config.Name}' is not resolved");
        }

        Variant value;
        string? range;
        try
        {
            (value, range) = codec.ToVariant(command);
        }
        catch (Exception error) when (error is ArgumentException or OverflowException or FormatException)
        {
            return WriteOutcome.Failed(IpcQuality.BadOutOfRange, error.Message);
        }

        try
        {
            var statuses = await _client.WriteAsync([codec.Node], [DataValue.Of(value)], [range], cancellationToken).ConfigureAwait(false);
            var status = statuses[0];
            return StatusCodes.IsGood(status) ? WriteOutcome.Ok : WriteOutcome.Failed(status, $"the server refused the write: {StatusCodes.Describe(status)}");
        }
        catch (OpcUaProtocolException error) when (error.IsLinkDown)
        {
            throw new DeviceLinkException($"write to {Endpoint} failed: {error.Message}", error);
        }
        catch (OpcUaProtocolException error)
        {
            return WriteOutcome.Failed(StatusCodes.IsBad(error.StatusCode) ? error.StatusCode : IpcQuality.BadDeviceFailure, error.Message);
        }
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync().ConfigureAwait(false);


    private async Task ResolveBrowsePathsAsync(CancellationToken cancellationToken)
    {
        var pathCodecs = Codecs.Where(codec => codec.BrowsePath is not null).ToArray();
        if (pathCodecs.Length > 0)
        {
            try
            {
                var results = await _client.TranslateBrowsePathsAsync(pathCodecs.Select(codec => codec.BrowsePath!).ToArray(), cancellationToken)
                    .ConfigureAwait(false);
                for (var i = 0; i < pathCodecs.Length; i++)
                {
                    pathCodecs[i].Resolved(results[i].Status, results[i].Target);
                }
            }
            catch (OpcUaProtocolException error) when (error.Reason == ProtocolErrorReason.PeerRejected)
            {
                // A server without the service: the browse-path tags carry its status, the NodeId tags still work.
                foreach (var codec in pathCodecs)
                {
                    codec.Resolved(error.StatusCode, null);
                }
            }

            foreach (var group in Groups)
            {
                group.RefreshNodes();
            }
        }
    }

    /// <summary>What this client cannot do for a device's configuration, or null when it can connect.</summary>
    private static string? UnsupportedFeature(OpcUaConnectionConfig connection) =>
        connection.SecurityPolicy != OpcUaSecurityPolicy.None && connection.Pki is null
            ? $"OPC UA security policy {connection.SecurityPolicy} needs a <pki> element with the certificate folders"
            : null;
}
