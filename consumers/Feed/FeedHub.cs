using EdgePartition.Consumers.Partition;

namespace EdgePartition.Consumers.Feed;

/// <summary>
/// Fans the changes of every segment out to the websocket clients. Publishing takes the source's lock and, per
/// client, a short lock to drop the message into its coalescing slots: it never waits for a socket, so a slow
/// client slows neither the others nor the segment watchers.
/// </summary>
public sealed class FeedHub(PartitionState partition, FeedLimits limits)
{
    private readonly Lock _clientsGate = new();
    private FeedClient[] _clients = [];
    private long _coalescedByClosedClients;
    private long _connections;
    private long _closedSlow;
    private long _closedMisbehaving;
    private long _refused;

    public PartitionState Partition => partition;

    public FeedLimits Limits => limits;

    public int ClientCount => Volatile.Read(ref _clients).Length;

    public long Connections => Interlocked.Read(ref _connections);

    public long ClosedSlow => Interlocked.Read(ref _closedSlow);

    public long ClosedMisbehaving => Interlocked.Read(ref _closedMisbehaving);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Changes dropped by coalescing (a newer value replaced an unsent one), over all clients ever.</summary>
    public long Coalesced
    {
        get
        {
            var total = Interlocked.Read(ref _coalescedByClosedClients);
            foreach (var client in Volatile.Read(ref _clients))
            {
                total += client.Coalesced;
            }

            return total;
        }
    }

    /// <summary>Adds a client, or returns null when <see cref="FeedLimits.MaxClients"/> are connected.</summary>
    public FeedClient? TryAdd(Subscription subscription, Security.Caller? caller = null, string address = "?")
    {
        var client = new FeedClient(partition.Sources.Count, subscription) { Caller = caller ?? Security.Caller.Anonymous, Address = address };
        lock (_clientsGate)
        {
            if (_clients.Length >= limits.MaxClients)
            {
                Interlocked.Increment(ref _refused);
                return null;
            }

            _clients = [.. _clients, client];
        }

        Interlocked.Increment(ref _connections);
        return client;
    }

    public void Remove(FeedClient client)
    {
        lock (_clientsGate)
        {
            var index = Array.IndexOf(_clients, client);
            if (index < 0)
            {
                return;
            }

            var remaining = new FeedClient[_clients.Length - 1];
            Array.Copy(_clients, 0, remaining, 0, index);
            Array.Copy(_clients, index + 1, remaining, index, remaining.Length - index);
            _clients = remaining;
            Interlocked.Add(ref _coalescedByClosedClients, client.Coalesced);
        }
    }

    public void CountClosedSlow() => Interlocked.Increment(ref _closedSlow);

    public void CountClosedMisbehaving() => Interlocked.Increment(ref _closedMisbehaving);

    /// <summary>Makes <paramref name="snapshot"/> the source's current state and offers its changes to every client.</summary>
    public void Publish(SourceState source, SourceSnapshot snapshot, ReadOnlySpan<TagChange> changes, byte[]? status)
    {
        lock (source.Gate)
        {
            source.Current = snapshot;
            foreach (var client in Volatile.Read(ref _clients))
            {
                client.Offer(source.Index, source.Name, snapshot.Layout, changes, status);
            }
        }
    }

    /// <summary>Every client gets a fresh snapshot (a segment changed its layout: tags came or went).</summary>
    public void ResyncAll()
    {
        foreach (var client in Volatile.Read(ref _clients))
        {
            client.RequestResync();
        }
    }

    /// <summary>
    /// The current state of every source for a client's snapshot. Under each source's lock the client's pending
    /// changes of that source are dropped, so whatever is pending afterwards is newer than the snapshot.
    /// </summary>
    public SourceSnapshot[] SnapshotFor(FeedClient client)
    {
        var snapshots = new SourceSnapshot[partition.Sources.Count];
        foreach (var source in partition.Sources)
        {
            lock (source.Gate)
            {
                var current = source.Current;
                client.ResetSource(source.Index, source.Name, current.Layout);
                snapshots[source.Index] = current;
            }
        }

        return snapshots;
    }
}
