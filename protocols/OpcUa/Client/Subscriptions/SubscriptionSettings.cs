namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>
/// What a subscription asks of the server (Part 4 §5.13.2). The server revises the interval and the counts; the
/// client uses the revised values (<see cref="OpcUaSubscription.PublishingInterval"/> etc.).
/// </summary>
public sealed record SubscriptionSettings
{
    /// <summary>How often the server sends what changed.</summary>
    public TimeSpan PublishingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Publishing intervals without data after which the server sends a keep-alive. 0: chosen so a keep-alive comes
    /// at least every few seconds (bounded by the client's request timeout).
    /// </summary>
    public uint KeepAliveCount { get; init; }

    /// <summary>Publishing intervals without a Publish request after which the server deletes the subscription; 0: 10 × keep-alive count (at least 3 × is required).</summary>
    public uint LifetimeCount { get; init; }

    /// <summary>Notifications per Publish response; 0 = no limit.</summary>
    public uint MaxNotificationsPerPublish { get; init; }

    public byte Priority { get; init; }

    public bool PublishingEnabled { get; init; } = true;
}
