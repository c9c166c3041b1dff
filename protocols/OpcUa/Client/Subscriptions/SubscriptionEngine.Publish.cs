using System.Buffers;
using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>The Publish pipeline: requests in flight, responses decoded into the handlers, acknowledgements, Republish.</summary>
internal sealed partial class SubscriptionEngine
{
    /// <summary>Tops the pipeline up to the target number of Publish requests (while a session is usable).</summary>
    private void Pump()
    {
        while (true)
        {
            int generation;
            lock (_gate)
            {
                if (!_running || _subscriptions.Count == 0 || _inFlight >= _target)
                {
                    return;
                }

                _inFlight++;
                generation = _generation;
            }

            _ = PublishAsync(generation);
        }
    }

    private async Task PublishAsync(int generation)
    {
        var acks = ArrayPool<SubscriptionAcknowledgement>.Shared.Rent(MaxAcksPerPublish);
        var ackCount = TakeAcks(acks);
        byte[] body;
        try
        {
            var timeout = PublishTimeout();
            body = await _client.SendAsync(
                "Publish", WritePublish, new PublishState(_client.AuthenticationToken, timeout, acks, ackCount), timeout, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (OpcUaProtocolException error)
        {
            PublishFailed(generation, error, acks.AsSpan(0, ackCount));
            ArrayPool<SubscriptionAcknowledgement>.Shared.Return(acks);
            return;
        }
        catch (Exception error) when (error is ObjectDisposedException or InvalidOperationException)
        {
            PublishFailed(generation, new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, error.Message, inner: error), acks.AsSpan(0, ackCount));
            ArrayPool<SubscriptionAcknowledgement>.Shared.Return(acks);
            return;
        }

        ArrayPool<SubscriptionAcknowledgement>.Shared.Return(acks);
        List<(OpcUaSubscription, uint)>? republish = null;
        lock (_gate)
        {
            if (generation == _generation)
            {
                _inFlight--;
                republish = HandlePublishResponse(body);
            }
        }

        if (republish is not null)
        {
            foreach (var (subscription, sequence) in republish)
            {
                _ = RepublishAsync(subscription, sequence, generation);
            }
        }

        Pump();
    }

    /// <summary>
    /// Delivers one Publish response (under the gate): records its sequence number, acknowledges it, hands its values
    /// to the handler unless it was delivered before, and returns the missing messages worth a Republish.
    /// </summary>
    private List<(OpcUaSubscription, uint)>? HandlePublishResponse(byte[] body)
    {
        var reader = new UaReader(body);
        PublishHeader header;
        MessageHeader message;
        try
        {
            header = PublishResponseReader.ReadPublishHeader(ref reader, _available);
            message = PublishResponseReader.ReadMessageHeader(ref reader);
        }
        catch (OpcUaProtocolException error) when (error.Reason == ProtocolErrorReason.PeerRejected)
        {
            HandlePublishFault(error.StatusCode);
            return null;
        }
        catch (OpcUaProtocolException)
        {
            // A response this client cannot read: nothing to deliver, and nothing to acknowledge it with.
            return null;
        }

        if (header.MoreNotifications && _target < MaxPublishRequests)
        {
            _target++;
        }

        if (!_byServerId.TryGetValue(header.SubscriptionId, out var subscription))
        {
            // A subscription this client no longer follows (deleted or replaced): let the server forget the message.
            if (!message.IsKeepAlive)
            {
                AddAck(header.SubscriptionId, message.SequenceNumber);
            }

            return null;
        }

        subscription.LastMessageTimestamp = _time.GetTimestamp();
        if (subscription.Status == StatusCodes.BadNoCommunication)
        {
            subscription.ReportStatus(StatusCodes.Good);
        }

        ref var sequence = ref subscription.Sequence;
        if (message.IsKeepAlive)
        {
            sequence.ObserveKeepAlive(message.SequenceNumber);
        }
        else
        {
            AddAck(header.SubscriptionId, message.SequenceNumber);
            if (sequence.Observe(message.SequenceNumber) == SequenceVerdict.New)
            {
                Deliver(subscription, ref reader, message);
            }
        }

        var missing = sequence.TakeMissing(_missing);
        List<(OpcUaSubscription, uint)>? republish = null;
        for (var i = 0; i < missing; i++)
        {
            if (_available.AsSpan(0, header.AvailableCount).Contains(_missing[i]))
            {
                (republish ??= []).Add((subscription, _missing[i]));
            }
            else
            {
                subscription.MessagesLost++;
            }
        }

        return republish;
    }

    private static void Deliver(OpcUaSubscription subscription, ref UaReader reader, MessageHeader message)
    {
        try
        {
            PublishResponseReader.ReadNotificationData(ref reader, message.Count, subscription);
        }
        catch (OpcUaProtocolException)
        {
            // What could be read was delivered; the rest of a message this client cannot decode is lost.
            subscription.ReportStatus(StatusCodes.BadDecodingError);
        }

        subscription.MessagesDelivered++;
        subscription.Handler.OnPublishComplete(subscription);
    }

    /// <summary>A Publish answered by a ServiceFault (under the gate).</summary>
    private void HandlePublishFault(uint status)
    {
        switch (status)
        {
            case StatusCodes.BadTooManyPublishRequests:
                // The server holds as many as it wants: keep what is in flight, send no more (Part 4 §5.13.5).
                _target = Math.Max(1, _inFlight);
                break;
            case StatusCodes.BadNoSubscription:
                // The server has none (they expired, or the session was replaced): rebuilt by the next session recovery.
                foreach (var subscription in _subscriptions)
                {
                    subscription.ReportStatus(StatusCodes.BadNoSubscription);
                }

                _target = Math.Max(1, _inFlight);
                break;
        }
    }

    private void PublishFailed(int generation, OpcUaProtocolException error, ReadOnlySpan<SubscriptionAcknowledgement> unsent)
    {
        bool retry;
        lock (_gate)
        {
            if (generation != _generation)
            {
                return;
            }

            _inFlight--;

            // The acknowledgements may not have reached the server: send them again (a repeat is harmless).
            foreach (var ack in unsent)
            {
                AddAck(ack.SubscriptionId, ack.SequenceNumber);
            }

            if (error.Reason == ProtocolErrorReason.PeerRejected)
            {
                HandlePublishFault(error.StatusCode);
            }

            retry = error.Reason is ProtocolErrorReason.Timeout
                || (error.Reason is ProtocolErrorReason.PeerRejected && error.StatusCode is StatusCodes.BadTimeout or StatusCodes.BadTooManyPublishRequests);
            if (!retry && (error.IsLinkDown || IsSessionGone(error.StatusCode)))
            {
                // The channel or session is gone: nothing is sent until the next session is ready.
                _running = false;
                foreach (var subscription in _subscriptions)
                {
                    if (subscription.Status != StatusCodes.BadNoCommunication)
                    {
                        subscription.ReportStatus(StatusCodes.BadNoCommunication);
                    }
                }
            }
        }

        if (retry)
        {
            Pump();
        }
    }

    private static bool IsSessionGone(uint status) => status is StatusCodes.BadSessionIdInvalid or StatusCodes.BadSessionClosed
        or StatusCodes.BadSessionNotActivated or StatusCodes.BadSecureChannelIdInvalid or StatusCodes.BadSecureChannelClosed
        or StatusCodes.BadConnectionClosed or StatusCodes.BadServerHalted or StatusCodes.BadShutdown;

    private async Task RepublishAsync(OpcUaSubscription subscription, uint sequence, int generation)
    {
        byte[] body;
        try
        {
            body = await _client.CallRawAsync(
                PublishMessages.RepublishRequestCodec, new PublishMessages.RepublishRequest(subscription.ServerId, sequence), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (OpcUaProtocolException)
        {
            // BadMessageNotAvailable (already discarded) or a lost link: the values of that message are gone.
            lock (_gate)
            {
                subscription.MessagesLost++;
            }

            return;
        }

        lock (_gate)
        {
            if (generation != _generation || subscription.Deleted)
            {
                return;
            }

            var reader = new UaReader(body);
            try
            {
                PublishResponseReader.ReadRepublishHeader(ref reader);
                var message = PublishResponseReader.ReadMessageHeader(ref reader);
                AddAck(subscription.ServerId, message.SequenceNumber);
                subscription.MessagesRepublished++;
                Deliver(subscription, ref reader, message);
            }
            catch (OpcUaProtocolException)
            {
                subscription.MessagesLost++;
            }
        }
    }

    /// <summary>How long a Publish may wait: every queued request may sit a keep-alive period before its turn.</summary>
    private TimeSpan PublishTimeout()
    {
        var longest = TimeSpan.Zero;
        int target;
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                longest = subscription.KeepAliveTimeout > longest ? subscription.KeepAliveTimeout : longest;
            }

            target = _target;
        }

        return (longest * (target + 1)) + _client.RequestTimeoutForSubscriptions;
    }

    private int TakeAcks(SubscriptionAcknowledgement[] into)
    {
        lock (_gate)
        {
            var count = Math.Min(_ackCount, MaxAcksPerPublish);
            _acks.AsSpan(0, count).CopyTo(into);
            _acks.AsSpan(count, _ackCount - count).CopyTo(_acks);
            _ackCount -= count;
            return count;
        }
    }

    private void AddAck(uint subscriptionId, uint sequence)
    {
        if (_ackCount == _acks.Length)
        {
            if (_acks.Length >= 64 * 1024)
            {
                // Never acknowledged for that long: the oldest are surely gone from the server anyway.
                _acks.AsSpan(1).CopyTo(_acks);
                _ackCount--;
            }
            else
            {
                Array.Resize(ref _acks, _acks.Length * 2);
            }
        }

        _acks[_ackCount++] = new SubscriptionAcknowledgement(subscriptionId, sequence);
    }

    private static void WritePublish(UaWriter writer, uint handle, PublishState state)
    {
        RequestHeader.Write(writer, ServiceIds.PublishRequest, state.Token, handle, state.Timeout);
        writer.WriteInt32(state.Count);
        for (var i = 0; i < state.Count; i++)
        {
            writer.WriteUInt32(state.Acks[i].SubscriptionId);
            writer.WriteUInt32(state.Acks[i].SequenceNumber);
        }
    }

    private readonly record struct PublishState(NodeId Token, TimeSpan Timeout, SubscriptionAcknowledgement[] Acks, int Count);
}
