using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Client.Subscriptions;
using EdgePartition.OpcUa.Services;

namespace EdgePartition.OpcUa.Client;

/// <summary>Subscriptions (Part 4 §5.12-5.13): the public entry and the service calls the subscription engine makes.</summary>
public sealed partial class OpcUaClient
{
    private SubscriptionEngine? _subscriptionEngine;

    /// <summary>
    /// Raised (on a timer thread) when a subscription received neither data nor a keep-alive within its keep-alive
    /// time (interval × (keep-alive count + 1) + 1 s): the server or the network is gone even if the socket is open.
    /// </summary>
    public event Action<OpcUaSubscription>? KeepAliveMissed;

    /// <summary>The subscriptions this client follows.</summary>
    public IReadOnlyList<OpcUaSubscription> Subscriptions => _subscriptionEngine?.Subscriptions ?? [];

    /// <summary>
    /// Creates a subscription whose notifications go to <paramref name="handler"/>; add items with
    /// <see cref="OpcUaSubscription.AddItemsAsync"/>. It is kept across reconnects (transferred or created again).
    /// </summary>
    public Task<OpcUaSubscription> CreateSubscriptionAsync(SubscriptionSettings settings, ISubscriptionHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handler);
        if (settings.PublishingInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "the publishing interval must be positive");
        }

        return SubscriptionEngine.CreateAsync(settings, handler, cancellationToken);
    }

    internal SubscriptionEngine SubscriptionEngine
    {
        get
        {
            if (_subscriptionEngine is null)
            {
                var engine = new SubscriptionEngine(this, _options.TimeProvider);
                engine.KeepAliveMissed += subscription => KeepAliveMissed?.Invoke(subscription);
                _subscriptionEngine = engine;
                Attach(engine);
            }

            return _subscriptionEngine;
        }
    }

    /// <summary>The client's request timeout (what a subscription service call may take).</summary>
    internal TimeSpan RequestTimeoutForSubscriptions => _options.RequestTimeout;

    /// <summary>Sends a request the server may hold for <paramref name="timeout"/> (Publish).</summary>
    internal Task<byte[]> SendAsync<TState>(string service, RequestEncoder<TState> encode, TState state, TimeSpan timeout, CancellationToken cancellationToken) =>
        Connected().RequestAsync(service, encode, state, timeout, cancellationToken);

    /// <summary>One service call; the response body undecoded.</summary>
    internal Task<byte[]> CallRawAsync<TRequest>(RequestMessage<TRequest> request, TRequest fields, CancellationToken cancellationToken) =>
        SendAsync(
            request.Service,
            static (writer, handle, state) => state.Request.Encode(writer, new RequestContext(state.Token, handle, state.Timeout), state.Fields),
            (Request: request, Token: AuthenticationToken, Timeout: _options.RequestTimeout, Fields: fields),
            _options.RequestTimeout,
            cancellationToken);
}
