using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>Following the session across reconnects (Part 4 §6.7) and noticing when the server falls silent.</summary>
internal sealed partial class SubscriptionEngine
{
    /// <summary>How often the watchdog looks at the subscriptions' last message times.</summary>
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMilliseconds(200);

    public async Task OnSessionReadyAsync(SessionRecovery recovery, CancellationToken cancellationToken)
    {
        OpcUaSubscription[] subscriptions;
        lock (_gate)
        {
            _generation++;
            _inFlight = 0;
            _running = false;
            subscriptions = [.. _subscriptions];
            if (recovery != SessionRecovery.Reactivated)
            {
                // Acknowledgements belong to the old session's subscriptions.
                _ackCount = 0;
            }
        }

        if (subscriptions.Length > 0 && _everReady)
        {
            await _mutate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                switch (recovery)
                {
                    case SessionRecovery.Reactivated:
                        // The server kept everything; gaps show in the next responses' available sequence numbers.
                        break;
                    case SessionRecovery.Replaced:
                        await TransferOrRecreateAsync(subscriptions, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        foreach (var subscription in subscriptions)
                        {
                            await RecreateAsync(subscription, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                }
            }
            finally
            {
                _mutate.Release();
            }
        }

        lock (_gate)
        {
            _running = true;
            _everReady = true;
            var now = _time.GetTimestamp();
            foreach (var subscription in _subscriptions)
            {
                subscription.LastMessageTimestamp = now;
            }
        }

        Pump();
    }

    public void OnConnectionLost()
    {
        lock (_gate)
        {
            _generation++;
            _running = false;
            _inFlight = 0;

            // The publish requests of the old generation are now ignored, so their failure reports nothing: say it here.
            foreach (var subscription in _subscriptions)
            {
                if (subscription.Status != StatusCodes.BadNoCommunication)
                {
                    subscription.ReportStatus(StatusCodes.BadNoCommunication);
                }
            }
        }
    }

    /// <summary>TransferSubscriptions with initial values; what cannot be transferred is created again.</summary>
    private async Task TransferOrRecreateAsync(OpcUaSubscription[] subscriptions, CancellationToken cancellationToken)
    {
        var ids = new uint[subscriptions.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = subscriptions[i].ServerId;
        }

        TransferResult[]? results = null;
        try
        {
            var response = await _client.CallAsync(
                SubscriptionMessages.TransferRequestCodec, SubscriptionMessages.TransferResponseCodec,
                new SubscriptionMessages.TransferSubscriptionsRequest(ids, SendInitialValues: true), cancellationToken).ConfigureAwait(false);
            results = response.Results.Length == ids.Length ? response.Results : null;
        }
        catch (OpcUaProtocolException error) when (error.Reason == ProtocolErrorReason.PeerRejected)
        {
            // BadServiceUnsupported, BadSubscriptionIdInvalid...: build them again below.
        }

        for (var i = 0; i < subscriptions.Length; i++)
        {
            var subscription = subscriptions[i];
            if (results is not null && StatusCodes.IsGood(results[i].StatusCode))
            {
                lock (_gate)
                {
                    subscription.LastMessageTimestamp = _time.GetTimestamp();
                }

                foreach (var sequence in results[i].AvailableSequenceNumbers)
                {
                    if (sequence > subscription.Sequence.Highest)
                    {
                        _ = RepublishAsync(subscription, sequence, _generation);
                    }
                }

                continue;
            }

            await RecreateAsync(subscription, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the subscription and all its items again on the current session (the old ones are gone).</summary>
    private async Task RecreateAsync(OpcUaSubscription subscription, CancellationToken cancellationToken)
    {
        foreach (var item in subscription.ItemList)
        {
            item.ServerId = 0;
        }

        await CreateOnServerAsync(subscription, cancellationToken).ConfigureAwait(false);
        await CreateItemsOnServerAsync(subscription, subscription.ItemList, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (subscription.Status != StatusCodes.Good)
            {
                subscription.ReportStatus(StatusCodes.Good);
            }
        }
    }

    private void StartWatchdog()
    {
        lock (_gate)
        {
            _watchdog ??= _time.CreateTimer(static state => ((SubscriptionEngine)state!).CheckKeepAlives(), this, WatchdogPeriod, WatchdogPeriod);
        }
    }

    /// <summary>
    /// Marks silent every subscription that heard nothing (data or keep-alive) for longer than its keep-alive time:
    /// BadNoCommunication to its handler and <see cref="KeepAliveMissed"/>, once until messages flow again.
    /// </summary>
    private void CheckKeepAlives()
    {
        if (_client.State == ConnectionState.Closed)
        {
            // The client was disposed: nothing to watch any more.
            _watchdog?.Dispose();
            return;
        }

        List<OpcUaSubscription>? missed = null;
        lock (_gate)
        {
            if (!_running || !_client.IsConnected)
            {
                return;
            }

            var now = _time.GetTimestamp();
            foreach (var subscription in _subscriptions)
            {
                if (subscription.PublishingEnabled && subscription.Status != StatusCodes.BadNoCommunication
                    && _time.GetElapsedTime(subscription.LastMessageTimestamp, now) > subscription.KeepAliveTimeout)
                {
                    subscription.ReportStatus(StatusCodes.BadNoCommunication);
                    (missed ??= []).Add(subscription);
                }
            }
        }

        if (missed is not null)
        {
            foreach (var subscription in missed)
            {
                KeepAliveMissed?.Invoke(subscription);
            }
        }
    }
}
