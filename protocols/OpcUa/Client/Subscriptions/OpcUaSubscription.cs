using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>
/// A subscription of an <see cref="OpcUaClient"/> (Part 4 §5.13): its monitored items, the interval and counts the
/// server granted, and the handler its notifications go to. It follows the session across reconnects (transferred,
/// or created again with all its items), so the object stays valid while the client lives; <see cref="ServerId"/>
/// may change.
/// </summary>
public sealed class OpcUaSubscription : INotificationTarget
{
    private readonly SubscriptionEngine _engine;
    private readonly List<MonitoredItem> _items = [];
    private SequenceTracker _sequence;

    internal OpcUaSubscription(SubscriptionEngine engine, SubscriptionSettings settings, ISubscriptionHandler handler)
    {
        _engine = engine;
        Settings = settings;
        Handler = handler;
    }

    public SubscriptionSettings Settings { get; internal set; }

    /// <summary>The server's id (changes when the subscription had to be created again; 0 while it does not exist).</summary>
    public uint ServerId { get; internal set; }

    public TimeSpan PublishingInterval { get; internal set; }

    public uint KeepAliveCount { get; internal set; }

    public uint LifetimeCount { get; internal set; }

    public bool PublishingEnabled { get; internal set; }

    /// <summary>Good while notifications or keep-alives arrive in time; else why not (BadNoCommunication, BadTimeout...).</summary>
    public uint Status { get; internal set; } = StatusCodes.Good;

    /// <summary>Data messages delivered (each counted once, however often the server sent it).</summary>
    public long MessagesDelivered { get; internal set; }

    /// <summary>Values handed to the handler.</summary>
    public long ValuesDelivered { get; internal set; }

    /// <summary>Messages recovered with Republish after a gap in the sequence numbers.</summary>
    public long MessagesRepublished { get; internal set; }

    /// <summary>Messages the server no longer held when a gap was found (their values were lost).</summary>
    public long MessagesLost { get; internal set; }

    public IReadOnlyList<MonitoredItem> Items => _items;

    internal ISubscriptionHandler Handler { get; }

    internal List<MonitoredItem> ItemList => _items;

    internal ref SequenceTracker Sequence => ref _sequence;

    /// <summary>Monotonic timestamp of the last message (data or keep-alive) from the server.</summary>
    internal long LastMessageTimestamp { get; set; }

    internal bool Deleted { get; set; }

    /// <summary>How long without any message before the subscription is considered silent (keep-alive missed).</summary>
    internal TimeSpan KeepAliveTimeout => (PublishingInterval * (KeepAliveCount + 1)) + TimeSpan.FromSeconds(1);

    /// <summary>Creates monitored items (in batches the server accepts); a refused item is returned with its bad status.</summary>
    public Task<IReadOnlyList<MonitoredItem>> AddItemsAsync(IReadOnlyList<MonitoredItemSettings> items, CancellationToken cancellationToken) =>
        _engine.AddItemsAsync(this, items, cancellationToken);

    /// <summary>Changes items' sampling, queue and filter; returns one status per item.</summary>
    public Task<uint[]> ModifyItemsAsync(IReadOnlyList<MonitoredItem> items, IReadOnlyList<MonitoredItemSettings> settings, CancellationToken cancellationToken) =>
        _engine.ModifyItemsAsync(this, items, settings, cancellationToken);

    /// <summary>Deletes items; returns one status per item.</summary>
    public Task<uint[]> RemoveItemsAsync(IReadOnlyList<MonitoredItem> items, CancellationToken cancellationToken) =>
        _engine.RemoveItemsAsync(this, items, cancellationToken);

    /// <summary>Creates again the items the server refused (a node that was unknown may exist now); returns how many are still refused.</summary>
    public Task<int> RetryFailedItemsAsync(CancellationToken cancellationToken) => _engine.RetryFailedItemsAsync(this, cancellationToken);

    /// <summary>Changes the publishing interval and counts (ModifySubscription); the revised values replace the current ones.</summary>
    public Task ModifyAsync(SubscriptionSettings settings, CancellationToken cancellationToken) => _engine.ModifyAsync(this, settings, cancellationToken);

    /// <summary>Stops or resumes publishing (SetPublishingMode); items keep sampling.</summary>
    public Task SetPublishingModeAsync(bool enabled, CancellationToken cancellationToken) => _engine.SetPublishingModeAsync(this, enabled, cancellationToken);

    /// <summary>Deletes the subscription on the server and stops following it.</summary>
    public Task DeleteAsync(CancellationToken cancellationToken) => _engine.DeleteAsync(this, cancellationToken);

    void INotificationTarget.OnValue(uint clientHandle, in DataValue value)
    {
        ValuesDelivered++;
        Handler.OnDataChange(this, clientHandle, in value);
    }

    void INotificationTarget.OnStatus(uint status) => ReportStatus(status);

    internal void ReportStatus(uint status)
    {
        Status = status;
        Handler.OnStatusChange(this, status);
    }
}
