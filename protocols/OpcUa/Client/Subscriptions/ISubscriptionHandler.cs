using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>
/// Receives what a subscription delivers. Called from the client's receive path, one call at a time for all the
/// client's subscriptions: keep it short and do not call the client from inside it. Values arrive by reference and
/// are only valid during the call (numeric values are never boxed; strings and arrays are fresh objects).
/// </summary>
public interface ISubscriptionHandler
{
    /// <summary>One changed value of the item created with <paramref name="clientHandle"/>.</summary>
    void OnDataChange(OpcUaSubscription subscription, uint clientHandle, in DataValue value);

    /// <summary>
    /// The subscription's state changed: a StatusChangeNotification from the server (e.g. BadTimeout when it
    /// expired), BadNoCommunication when neither data nor keep-alive arrived in time or the connection was lost, Good when
    /// data flows again.
    /// </summary>
    void OnStatusChange(OpcUaSubscription subscription, uint status);

    /// <summary>A Publish response was delivered completely (after its OnDataChange calls); a batch boundary.</summary>
    void OnPublishComplete(OpcUaSubscription subscription)
    {
    }
}
