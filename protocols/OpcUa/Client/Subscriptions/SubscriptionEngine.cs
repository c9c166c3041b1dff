using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>
/// All subscriptions of one client and what keeps them alive: creation and changes (Part 4 §5.12-5.13), a pipeline
/// of Publish requests (several in flight, more when the server says it has more, fewer after
/// BadTooManyPublishRequests), acknowledgements, sequence-number gaps closed with Republish, a keep-alive watchdog,
/// and recovery across reconnects (Part 4 §6.7): reactivated session → publishing resumes and gaps are republished;
/// replaced session → TransferSubscriptions with initial values, else created again; a fresh session after a
/// disconnect → created again with all items.
/// </summary>
internal sealed partial class SubscriptionEngine : ISessionObserver, IAsyncDisposable
{
    /// <summary>Publish requests kept in flight at most (OPC Publisher and others use 10).</summary>
    internal const int MaxPublishRequests = 10;

    /// <summary>Acknowledgements sent in one Publish request at most; the rest go with the next one.</summary>
    private const int MaxAcksPerPublish = 256;

    /// <summary>Available sequence numbers kept from one response (to decide which missing ones to republish).</summary>
    private const int AvailableKept = 64;

    private readonly OpcUaClient _client;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _mutate = new(1, 1);
    private readonly List<OpcUaSubscription> _subscriptions = [];
    private readonly Dictionary<uint, OpcUaSubscription> _byServerId = [];
    private readonly uint[] _available = new uint[AvailableKept];
    private readonly uint[] _missing = new uint[AvailableKept];
    private SubscriptionAcknowledgement[] _acks = new SubscriptionAcknowledgement[64];
    private int _ackCount;
    private int _inFlight;
    private int _target = 2;
    private bool _running;
    private int _generation;
    private bool _everReady;
    private ITimer? _watchdog;

    public SubscriptionEngine(OpcUaClient client, TimeProvider time)
    {
        _client = client;
        _time = time;
    }

    /// <summary>Raised (on a timer thread) when a subscription heard nothing within its keep-alive time.</summary>
    public event Action<OpcUaSubscription>? KeepAliveMissed;

    /// <summary>The client's own cap on items per CreateMonitoredItems/ModifyMonitoredItems/DeleteMonitoredItems request.</summary>
    internal int ItemsPerCallCap { get; set; } = 1000;

    /// <summary>Items per monitored-item request: the cap, lowered to the server's MaxMonitoredItemsPerCall of this session.</summary>
    internal int MaxItemsPerCall => OperationLimits.Batch(_client.OperationLimits.MaxMonitoredItemsPerCall, ItemsPerCallCap);

    /// <summary>Publish requests the pipeline currently aims to keep in flight.</summary>
    internal int PublishTarget
    {
        get
        {
            lock (_gate)
            {
                return _target;
            }
        }
    }

    public IReadOnlyList<OpcUaSubscription> Subscriptions
    {
        get
        {
            lock (_gate)
            {
                return [.. _subscriptions];
            }
        }
    }

    public async Task<OpcUaSubscription> CreateAsync(SubscriptionSettings settings, ISubscriptionHandler handler, CancellationToken cancellationToken)
    {
        var subscription = new OpcUaSubscription(this, settings, handler);
        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CreateOnServerAsync(subscription, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _subscriptions.Add(subscription);
                _running = true;
                _everReady = true;
            }
        }
        finally
        {
            _mutate.Release();
        }

        StartWatchdog();
        Pump();
        return subscription;
    }

    public async Task<IReadOnlyList<MonitoredItem>> AddItemsAsync(
        OpcUaSubscription subscription, IReadOnlyList<MonitoredItemSettings> settings, CancellationToken cancellationToken)
    {
        var items = new MonitoredItem[settings.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new MonitoredItem(settings[i]);
        }

        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDeleted(subscription);
            subscription.ItemList.AddRange(items);
            await CreateItemsOnServerAsync(subscription, items, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _mutate.Release();
        }

        return items;
    }

    public async Task<int> RetryFailedItemsAsync(OpcUaSubscription subscription, CancellationToken cancellationToken)
    {
        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDeleted(subscription);
            var failed = new List<MonitoredItem>();
            foreach (var item in subscription.ItemList)
            {
                if (!item.IsCreated)
                {
                    failed.Add(item);
                }
            }

            if (failed.Count > 0)
            {
                await CreateItemsOnServerAsync(subscription, failed, cancellationToken).ConfigureAwait(false);
            }

            var still = 0;
            foreach (var item in failed)
            {
                still += item.IsCreated ? 0 : 1;
            }

            return still;
        }
        finally
        {
            _mutate.Release();
        }
    }

    public async Task<uint[]> ModifyItemsAsync(
        OpcUaSubscription subscription, IReadOnlyList<MonitoredItem> items, IReadOnlyList<MonitoredItemSettings> settings, CancellationToken cancellationToken)
    {
        if (items.Count != settings.Count)
        {
            throw new ArgumentException("one settings entry per item", nameof(settings));
        }

        var statuses = new uint[items.Count];
        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDeleted(subscription);
            for (var offset = 0; offset < items.Count; offset += MaxItemsPerCall)
            {
                var count = Math.Min(MaxItemsPerCall, items.Count - offset);
                var requests = new MonitoredItemModifyRequest[count];
                for (var i = 0; i < count; i++)
                {
                    requests[i] = new MonitoredItemModifyRequest(items[offset + i].ServerId, settings[offset + i].Parameters);
                }

                var response = await _client.CallAsync(
                    MonitoredItemMessages.ModifyRequestCodec, MonitoredItemMessages.ModifyResponseCodec,
                    new MonitoredItemMessages.ModifyMonitoredItemsRequest(subscription.ServerId, TimestampsToReturn.Both, requests), cancellationToken)
                    .ConfigureAwait(false);
                CheckCount(response.Results.Length, count, "ModifyMonitoredItems");
                for (var i = 0; i < count; i++)
                {
                    var item = items[offset + i];
                    var result = response.Results[i];
                    statuses[offset + i] = result.StatusCode;
                    if (StatusCodes.IsGood(result.StatusCode))
                    {
                        item.Settings = settings[offset + i];
                        item.RevisedSamplingInterval = result.RevisedSamplingInterval;
                        item.RevisedQueueSize = result.RevisedQueueSize;
                    }
                }
            }
        }
        finally
        {
            _mutate.Release();
        }

        return statuses;
    }

    public async Task<uint[]> RemoveItemsAsync(OpcUaSubscription subscription, IReadOnlyList<MonitoredItem> items, CancellationToken cancellationToken)
    {
        var statuses = new uint[items.Count];
        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDeleted(subscription);
            for (var offset = 0; offset < items.Count; offset += MaxItemsPerCall)
            {
                var count = Math.Min(MaxItemsPerCall, items.Count - offset);
                var ids = new uint[count];
                for (var i = 0; i < count; i++)
                {
                    ids[i] = items[offset + i].ServerId;
                }

                var response = await _client.CallAsync(
                    MonitoredItemMessages.DeleteRequestCodec, MonitoredItemMessages.DeleteResponseCodec,
                    new MonitoredItemMessages.DeleteMonitoredItemsRequest(subscription.ServerId, ids), cancellationToken).ConfigureAwait(false);
                CheckCount(response.Results.Length, count, "DeleteMonitoredItems");
                response.Results.CopyTo(statuses, offset);
            }

            foreach (var item in items)
            {
                subscription.ItemList.Remove(item);
                item.ServerId = 0;
            }
        }
        finally
        {
            _mutate.Release();
        }

        return statuses;
    }

    public async Task ModifyAsync(OpcUaSubscription subscription, SubscriptionSettings settings, CancellationToken cancellationToken)
    {
        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDeleted(subscription);
            var (keepAlive, lifetime) = Counts(settings);
            var revised = await _client.CallAsync(
                SubscriptionMessages.ModifyRequestCodec, SubscriptionMessages.ModifyResponseCodec,
                new SubscriptionMessages.ModifySubscriptionRequest(
                    subscription.ServerId, settings.PublishingInterval.TotalMilliseconds, lifetime, keepAlive, settings.MaxNotificationsPerPublish, settings.Priority),
                cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                subscription.Settings = settings with { PublishingEnabled = subscription.PublishingEnabled };
                Apply(subscription, revised);
            }
        }
        finally
        {
            _mutate.Release();
        }
    }

    public async Task SetPublishingModeAsync(OpcUaSubscription subscription, bool enabled, CancellationToken cancellationToken)
    {
        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDeleted(subscription);
            var response = await _client.CallAsync(
                SubscriptionMessages.SetPublishingModeRequestCodec, SubscriptionMessages.SetPublishingModeResponseCodec,
                new SubscriptionMessages.SetPublishingModeRequest(enabled, [subscription.ServerId]), cancellationToken).ConfigureAwait(false);
            CheckCount(response.Results.Length, 1, "SetPublishingMode");
            ThrowIfBad(response.Results[0], "SetPublishingMode");
            lock (_gate)
            {
                subscription.PublishingEnabled = enabled;
                subscription.Settings = subscription.Settings with { PublishingEnabled = enabled };
                subscription.LastMessageTimestamp = _time.GetTimestamp();
            }
        }
        finally
        {
            _mutate.Release();
        }
    }

    public async Task DeleteAsync(OpcUaSubscription subscription, CancellationToken cancellationToken)
    {
        await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (subscription.Deleted)
            {
                return;
            }

            var serverId = subscription.ServerId;
            lock (_gate)
            {
                subscription.Deleted = true;
                _subscriptions.Remove(subscription);
                _byServerId.Remove(serverId);
            }

            if (serverId != 0 && _client.IsConnected)
            {
                var response = await _client.CallAsync(
                    SubscriptionMessages.DeleteRequestCodec, SubscriptionMessages.DeleteResponseCodec, [serverId], cancellationToken).ConfigureAwait(false);
                CheckCount(response.Results.Length, 1, "DeleteSubscriptions");
            }
        }
        finally
        {
            _mutate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void ThrowIfDeleted(OpcUaSubscription subscription) =>
        ObjectDisposedException.ThrowIf(subscription.Deleted, subscription);

    private static void CheckCount(int actual, int expected, string service)
    {
        if (actual != expected)
        {
            throw OpcUaProtocolException.Malformed($"{service} returned {actual} results for {expected} operations");
        }
    }

    private static void ThrowIfBad(uint status, string service)
    {
        if (StatusCodes.IsBad(status))
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.PeerRejected, $"{service} failed: {StatusCodes.Describe(status)}", status);
        }
    }

    /// <summary>
    /// The keep-alive and lifetime counts to ask for: a keep-alive at least every few seconds and well inside the
    /// request timeout (a queued Publish waits for it), and the lifetime at least three keep-alives (Part 4 §5.13.2).
    /// </summary>
    private (uint KeepAlive, uint Lifetime) Counts(SubscriptionSettings settings)
    {
        var interval = Math.Max(1, settings.PublishingInterval.TotalMilliseconds);
        var keepAlive = settings.KeepAliveCount != 0
            ? settings.KeepAliveCount
            : (uint)Math.Clamp(Math.Min(5000, _client.RequestTimeoutForSubscriptions.TotalMilliseconds / 2) / interval, 1, 12000);
        var lifetime = settings.LifetimeCount != 0 ? Math.Max(settings.LifetimeCount, keepAlive * 3) : keepAlive * 10;
        return (keepAlive, lifetime);
    }

    private static void Apply(OpcUaSubscription subscription, SubscriptionMessages.RevisedSubscription revised)
    {
        subscription.PublishingInterval = TimeSpan.FromMilliseconds(Math.Max(1, revised.PublishingInterval));
        subscription.KeepAliveCount = Math.Max(1, revised.MaxKeepAliveCount);
        subscription.LifetimeCount = revised.LifetimeCount;
    }

    /// <summary>CreateSubscription for <paramref name="subscription"/>'s settings; registers the (new) server id.</summary>
    private async Task CreateOnServerAsync(OpcUaSubscription subscription, CancellationToken cancellationToken)
    {
        var settings = subscription.Settings;
        var (keepAlive, lifetime) = Counts(settings);
        var created = await _client.CallAsync(
            SubscriptionMessages.CreateRequestCodec, SubscriptionMessages.CreateResponseCodec,
            new SubscriptionMessages.CreateSubscriptionRequest(
                settings.PublishingInterval.TotalMilliseconds, lifetime, keepAlive, settings.MaxNotificationsPerPublish, settings.PublishingEnabled, settings.Priority),
            cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _byServerId.Remove(subscription.ServerId);
            subscription.ServerId = created.SubscriptionId;
            subscription.PublishingEnabled = settings.PublishingEnabled;
            Apply(subscription, created.Revised);
            subscription.Sequence.Reset();
            subscription.LastMessageTimestamp = _time.GetTimestamp();
            _byServerId[created.SubscriptionId] = subscription;
        }
    }

    /// <summary>CreateMonitoredItems for <paramref name="items"/> in batches of <see cref="MaxItemsPerCall"/>.</summary>
    private async Task CreateItemsOnServerAsync(OpcUaSubscription subscription, IReadOnlyList<MonitoredItem> items, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < items.Count; offset += MaxItemsPerCall)
        {
            var count = Math.Min(MaxItemsPerCall, items.Count - offset);
            var requests = new MonitoredItemCreateRequest[count];
            for (var i = 0; i < count; i++)
            {
                var settings = items[offset + i].Settings;
                requests[i] = new MonitoredItemCreateRequest(
                    new ReadValueId(settings.Node, settings.AttributeId, null, new QualifiedName(0, null)), MonitoringMode.Reporting, settings.Parameters);
            }

            var response = await _client.CallAsync(
                MonitoredItemMessages.CreateRequestCodec, MonitoredItemMessages.CreateResponseCodec,
                new MonitoredItemMessages.CreateMonitoredItemsRequest(subscription.ServerId, TimestampsToReturn.Both, requests), cancellationToken)
                .ConfigureAwait(false);
            CheckCount(response.Results.Length, count, "CreateMonitoredItems");
            for (var i = 0; i < count; i++)
            {
                items[offset + i].Created(response.Results[i]);
            }
        }
    }
}
