namespace EdgePartition.OpcUa.Types;

/// <summary>One changed value of one monitored item, identified by the client handle given at creation (Part 4 §7.25.2).</summary>
public readonly record struct MonitoredItemNotification(uint ClientHandle, DataValue Value);

/// <summary>Changed values (Part 4 §7.25.2; encoding i=811).</summary>
public sealed record DataChangeNotification(MonitoredItemNotification[] MonitoredItems, DiagnosticInfo[] DiagnosticInfos)
{
    public const uint BinaryEncodingId = 811;
}

/// <summary>The selected fields of one event (Part 4 §7.25.3).</summary>
public sealed record EventFieldList(uint ClientHandle, Variant[] EventFields);

/// <summary>Events (Part 4 §7.25.3; encoding i=916).</summary>
public sealed record EventNotificationList(EventFieldList[] Events)
{
    public const uint BinaryEncodingId = 916;
}

/// <summary>The subscription's own status changed, e.g. BadTimeout when it expired (Part 4 §7.25.4; encoding i=820).</summary>
public sealed record StatusChangeNotification(uint Status, DiagnosticInfo DiagnosticInfo)
{
    public const uint BinaryEncodingId = 820;
}

/// <summary>
/// What one Publish or Republish delivers (Part 4 §7.24). A keep-alive has no notification data and carries the
/// sequence number the next real message will have.
/// </summary>
public sealed record NotificationMessage(uint SequenceNumber, DateTime PublishTime, ExtensionObject[] NotificationData)
{
    public bool IsKeepAlive => NotificationData.Length == 0;
}

/// <summary>Acknowledges a received notification message so the server can discard it (Part 4 §5.13.5).</summary>
public readonly record struct SubscriptionAcknowledgement(uint SubscriptionId, uint SequenceNumber);

/// <summary>One subscription's TransferSubscriptions result and the sequence numbers still available to Republish.</summary>
public sealed record TransferResult(uint StatusCode, uint[] AvailableSequenceNumbers);
