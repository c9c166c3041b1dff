using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Feed;

/// <summary>
/// What one websocket client still has to receive. Instead of a queue of messages it keeps one pending slot per
/// subscribed tag (and one per source for its status): a newer change replaces an unsent older one and is counted
/// as coalesced. Memory is therefore bounded by the number of tags, however slow the client is, and publishing
/// never waits for the client. Publishers call <see cref="Offer"/> under the source's lock; the client's send
/// loop calls <see cref="Drain"/>.
/// </summary>
public sealed class FeedClient
{
    private readonly Lock _gate = new();
    // Starts signalled with a resync pending: the first thing a client gets is its snapshot.
    private readonly SemaphoreSlim _wake = new(1, 1);
    private readonly PendingSource[] _sources;
    private readonly Queue<(int Source, int Tag)> _dirty = new();
    private readonly Queue<byte[]> _replies = new();
    private bool _wakePending = true;
    private bool _resync = true;
    private long _coalesced;
    private long _sent;

    public FeedClient(int sourceCount, Subscription subscription)
    {
        _sources = new PendingSource[sourceCount];
        for (var i = 0; i < sourceCount; i++)
        {
            _sources[i] = new PendingSource();
        }

        Subscription = subscription;
    }

    public Subscription Subscription { get; private set; }

    /// <summary>Changes replaced by a newer value of the same tag before they were sent.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>Messages handed to the socket.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Status index of a pending entry (tag indexes are 0..n-1).</summary>
    private const int StatusSlot = -1;

    /// <summary>Queues the changes of one commit of source <paramref name="source"/> that this client subscribes to.</summary>
    public void Offer(int source, string sourceName, SegmentLayout? layout, ReadOnlySpan<TagChange> changes, byte[]? status)
    {
        bool wake;
        lock (_gate)
        {
            var pending = _sources[source];
            pending.EnsureLayout(sourceName, layout, Subscription);
            if (!pending.SourceMatches)
            {
                return;
            }

            foreach (var change in changes)
            {
                if ((uint)change.TagIndex < (uint)pending.Tags.Length && pending.Mask[change.TagIndex])
                {
                    Put(ref pending.Tags[change.TagIndex], change.Message, source, change.TagIndex);
                }
            }

            if (status is not null)
            {
                Put(ref pending.Status, status, source, StatusSlot);
            }

            wake = !_wakePending && _dirty.Count > 0;
            _wakePending |= wake;
        }

        if (wake)
        {
            _wake.Release();
        }
    }

    /// <summary>Asks the send loop for a fresh snapshot (on connect, after a subscribe, after a layout change).</summary>
    public void RequestResync(Subscription? subscription = null)
    {
        bool wake;
        lock (_gate)
        {
            if (subscription is not null)
            {
                Subscription = subscription;
            }

            _resync = true;
            wake = !_wakePending;
            _wakePending = true;
        }

        if (wake)
        {
            _wake.Release();
        }
    }

    /// <summary>Waits until something is pending. Returns whether a snapshot must be sent first.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _wakePending = false;
            var resync = _resync;
            _resync = false;
            return resync;
        }
    }

    /// <summary>
    /// Forgets what is pending for <paramref name="source"/>: called under the source's lock right before the
    /// snapshot copies the source's current state, so every change pending afterwards is newer than the snapshot.
    /// </summary>
    public void ResetSource(int source, string sourceName, SegmentLayout? layout)
    {
        lock (_gate)
        {
            var pending = _sources[source];
            pending.Clear();
            pending.EnsureLayout(sourceName, layout, Subscription);
            for (var i = _dirty.Count; i > 0; i--)
            {
                var entry = _dirty.Dequeue();
                if (entry.Source != source)
                {
                    _dirty.Enqueue(entry);
                }
            }
        }
    }

    /// <summary>
    /// Moves pending messages into <paramref name="frame"/> until it holds <paramref name="maxBytes"/> (at least
    /// one message). Returns the number of messages; the frame is one JSON object or a JSON array of them.
    /// </summary>
    public int Drain(FeedFrame frame, int maxBytes)
    {
        var count = 0;
        lock (_gate)
        {
            // Answers to the client's own requests (write results) go before changes; there are few of them.
            while (_replies.TryPeek(out var reply) && (count == 0 || frame.Length + reply.Length + 2 <= maxBytes))
            {
                frame.Append(_replies.Dequeue());
                count++;
            }

            while (_dirty.TryPeek(out var entry))
            {
                var pending = _sources[entry.Source];
                ref var slot = ref entry.Tag == StatusSlot ? ref pending.Status : ref pending.TagSlot(entry.Tag);
                var message = slot;
                if (message is not null && count > 0 && frame.Length + message.Length + 2 > maxBytes)
                {
                    break;
                }

                _dirty.Dequeue();
                slot = null;
                if (message is not null)
                {
                    frame.Append(message);
                    count++;
                }
            }

            if ((_dirty.Count > 0 || _replies.Count > 0) && !_wakePending)
            {
                // More than one frame's worth is pending: make the next WaitAsync return at once.
                _wakePending = true;
                _wake.Release();
            }
        }

        Interlocked.Add(ref _sent, count);
        return count;
    }

    /// <summary>Who opened the connection; writes sent on the feed are made as this caller.</summary>
    public Security.Caller Caller { get; init; } = Security.Caller.Anonymous;

    /// <summary>The client's address as the audit records it.</summary>
    public string Address { get; init; } = "?";

    /// <summary>Writes sent on this connection whose result has not been sent yet.</summary>
    public int WritesInFlight;

    /// <summary>Queues an answer to the client (a write result) for the send loop, ahead of pending changes.</summary>
    public void Reply(byte[] message)
    {
        bool wake;
        lock (_gate)
        {
            _replies.Enqueue(message);
            wake = !_wakePending;
            _wakePending = true;
        }

        if (wake)
        {
            _wake.Release();
        }
    }

    private void Put(ref byte[]? slot, byte[] message, int source, int tag)
    {
        if (slot is null)
        {
            _dirty.Enqueue((source, tag));
        }
        else
        {
            Interlocked.Increment(ref _coalesced);
        }

        slot = message;
    }

    /// <summary>Pending state of one source (device or sync) for this client.</summary>
    private sealed class PendingSource
    {
        private static readonly byte[]?[] NoTags = [];
        private static readonly bool[] NoMask = [];
        private byte[]? _orphan;
        private SegmentLayout? _layout;
        private Subscription? _subscription;

        public byte[]?[] Tags = NoTags;
        public bool[] Mask = NoMask;
        public byte[]? Status;
        public bool SourceMatches;

        /// <summary>A slot for an index queued under an older layout: reads as empty.</summary>
        public ref byte[]? TagSlot(int tag)
        {
            if ((uint)tag < (uint)Tags.Length)
            {
                return ref Tags[tag];
            }

            _orphan = null;
            return ref _orphan;
        }

        public void EnsureLayout(string sourceName, SegmentLayout? layout, Subscription subscription)
        {
            if (ReferenceEquals(layout, _layout) && ReferenceEquals(subscription, _subscription))
            {
                return;
            }

            _subscription = subscription;
            SourceMatches = subscription.Devices.IsMatch(sourceName);
            if (!ReferenceEquals(layout, _layout))
            {
                _layout = layout;
                Tags = layout is null ? NoTags : new byte[]?[layout.TagCount];
            }

            var count = layout?.TagCount ?? 0;
            Mask = count == 0 ? NoMask : new bool[count];
            for (var i = 0; i < count; i++)
            {
                Mask[i] = SourceMatches && subscription.Tags.IsMatch(layout!.Tag(i).Name);
            }
        }

        public void Clear()
        {
            Array.Clear(Tags);
            Status = null;
        }
    }
}
