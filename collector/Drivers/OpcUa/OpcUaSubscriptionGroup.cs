using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Client.Subscriptions;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// One poll group of an OPC UA device in subscription mode: one subscription publishing every cycle time, one
/// monitored item per tag (client handle = the tag's index in the group). Notifications land in a reused array of
/// latest values (on the client's receive path); <see cref="Stage"/>, on the worker's thread, stages what changed
/// since the last cycle. A tag whose item the server refused (BadNodeIdUnknown...) carries that status and is
/// created again every <see cref="RetryInterval"/> without disturbing the others.
/// </summary>
internal sealed class OpcUaSubscriptionGroup : ISubscriptionHandler
{
    /// <summary>How often items the server refused are tried again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly OpcUaTagCodec[] _codecs;
    private readonly PollGroupConfig _config;
    private readonly object _gate = new();
    private readonly DataValue[] _latest;
    private readonly bool[] _changed;
    private readonly uint[] _quality;
    private MonitoredItem[] _items = [];
    private long _nextRetryTicks;
    private volatile bool _silent;

    public OpcUaSubscriptionGroup(OpcUaTagCodec[] codecs, PollGroupConfig config)
    {
        _codecs = codecs;
        _config = config;
        _latest = new DataValue[codecs.Length];
        _changed = new bool[codecs.Length];
        _quality = new uint[codecs.Length];
        Array.Fill(_quality, IpcQuality.BadWaitingForInitialData);
    }

    public OpcUaSubscription? Subscription { get; private set; }

    /// <summary>The server stopped publishing (no data or keep-alive in time, or the connection dropped).</summary>
    public bool IsSilent => _silent;

    /// <summary>Creates the subscription and its items (first connect), or follows changed browse-path targets (later connects).</summary>
    public async Task SubscribeAsync(OpcUaClient client, CancellationToken cancellationToken)
    {
        _silent = false;
        lock (_gate)
        {
            if (Subscription is not null && client.LastRecovery == SessionRecovery.Reactivated)
            {
                // The session and its subscription lived through the outage (Part 4 §6.7): the server queued what changed
                // meanwhile and sends only changes from here, so the last values received are still current. Stage them
                // again (the worker marked every tag bad when the link dropped).
                for (var i = 0; i < _changed.Length; i++)
                {
                    _changed[i] |= _quality[i] != IpcQuality.BadWaitingForInitialData;
                }
            }
            else
            {
                // Values from before the reconnect are stale: only what the recreated or transferred subscription sends counts.
                Array.Clear(_changed);
                Array.Fill(_quality, IpcQuality.BadWaitingForInitialData);
            }
        }

        if (Subscription is null)
        {
            var settings = new SubscriptionSettings { PublishingInterval = _config.CycleTime };
            Subscription = await client.CreateSubscriptionAsync(settings, this, cancellationToken).ConfigureAwait(false);
            var items = new MonitoredItemSettings[_codecs.Length];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = ItemSettings(i);
            }

            _items = [.. await Subscription.AddItemsAsync(items, cancellationToken).ConfigureAwait(false)];
            return;
        }

        // A browse path may lead elsewhere after a server restart: move those items to their new node.
        List<int>? moved = null;
        for (var i = 0; i < _codecs.Length; i++)
        {
            if (!_items[i].Settings.Node.Equals(_codecs[i].Node))
            {
                (moved ??= []).Add(i);
            }
        }

        if (moved is null)
        {
            return;
        }

        await Subscription.RemoveItemsAsync([.. moved.Select(i => _items[i])], cancellationToken).ConfigureAwait(false);
        var created = await Subscription.AddItemsAsync([.. moved.Select(ItemSettings)], cancellationToken).ConfigureAwait(false);
        for (var m = 0; m < moved.Count; m++)
        {
            _items[moved[m]] = created[m];
        }
    }

    /// <summary>Creates again, at most every <see cref="RetryInterval"/>, the items the server refused.</summary>
    public async ValueTask RetryRefusedAsync(CancellationToken cancellationToken)
    {
        if (Subscription is null || Environment.TickCount64 < _nextRetryTicks)
        {
            return;
        }

        _nextRetryTicks = Environment.TickCount64 + (long)RetryInterval.TotalMilliseconds;
        var refused = false;
        foreach (var item in _items)
        {
            refused |= !item.IsCreated;
        }

        if (refused)
        {
            await Subscription.RetryFailedItemsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stages what changed since the last call; returns how many of the group's tags are bad.</summary>
    public int Stage(SegmentWriter writer, long nowUnixNs)
    {
        var failed = 0;
        lock (_gate)
        {
            for (var i = 0; i < _codecs.Length; i++)
            {
                var codec = _codecs[i];
                if (_changed[i])
                {
                    _changed[i] = false;
                    ref readonly var value = ref _latest[i];
                    _quality[i] = codec.Stage(value, writer);
                    var timestamp = value.SourceTimestamp != DateTime.MinValue ? value.SourceTimestamp : value.ServerTimestamp;
                    writer.SetSample(codec.Tag.Index, _quality[i], timestamp == DateTime.MinValue ? nowUnixNs : UnixTime.ToNs(timestamp));
                }
                else if (i < _items.Length && !_items[i].IsCreated && _quality[i] != _items[i].Status)
                {
                    // Refused by the server: the tag shows why (BadNodeIdUnknown...) until a retry succeeds.
                    _quality[i] = StatusCodes.IsBad(codec.ResolveStatus) ? codec.ResolveStatus : _items[i].Status;
                    writer.SetSample(codec.Tag.Index, _quality[i], nowUnixNs);
                }

                if (IpcQuality.IsBad(_quality[i]))
                {
                    failed++;
                }
            }
        }

        return failed;
    }

    public void OnDataChange(OpcUaSubscription subscription, uint clientHandle, in DataValue value)
    {
        if (clientHandle >= (uint)_latest.Length)
        {
            return;
        }

        lock (_gate)
        {
            _latest[clientHandle] = value;
            _changed[clientHandle] = true;
        }
    }

    public void OnStatusChange(OpcUaSubscription subscription, uint status) =>
        _silent = status is StatusCodes.BadNoCommunication or StatusCodes.BadTimeout or StatusCodes.BadNoSubscription;

    private MonitoredItemSettings ItemSettings(int index)
    {
        var codec = _codecs[index];
        var group = _config.OpcUa ?? OpcUaGroupConfig.Default;
        var deadband = codec.Tag.Config.ServerDeadband;
        return new MonitoredItemSettings(codec.Node, (uint)index)
        {
            SamplingInterval = group.SamplingInterval,
            QueueSize = group.QueueSize,
            DiscardOldest = group.DiscardOldest,
            DeadbandType = deadband is null ? DeadbandType.None : deadband.Type == OpcUaDeadbandType.Percent ? DeadbandType.Percent : DeadbandType.Absolute,
            DeadbandValue = deadband?.Value ?? 0,
        };
    }
}
