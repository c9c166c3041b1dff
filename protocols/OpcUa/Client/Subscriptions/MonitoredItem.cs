using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>
/// One monitored item as the server knows it: its settings, the server's id, and the status of its creation
/// (Good, or why the server refused it, e.g. BadNodeIdUnknown; a refused item is created again by
/// <see cref="OpcUaSubscription.RetryFailedItemsAsync"/> and after every reconnect).
/// </summary>
public sealed class MonitoredItem
{
    internal MonitoredItem(MonitoredItemSettings settings) => Settings = settings;

    public MonitoredItemSettings Settings { get; internal set; }

    /// <summary>The server's id of the item (0 while it does not exist on the server).</summary>
    public uint ServerId { get; internal set; }

    /// <summary>Good, or the status the server gave when it refused to create or modify the item.</summary>
    public uint Status { get; internal set; } = StatusCodes.BadWaitingForInitialData;

    public double RevisedSamplingInterval { get; internal set; }

    public uint RevisedQueueSize { get; internal set; }

    public bool IsCreated => ServerId != 0;

    internal void Created(in MonitoredItemCreateResult result)
    {
        Status = result.StatusCode;
        ServerId = StatusCodes.IsBad(result.StatusCode) ? 0 : result.MonitoredItemId;
        RevisedSamplingInterval = result.RevisedSamplingInterval;
        RevisedQueueSize = result.RevisedQueueSize;
    }
}
