using EdgePartition.Ipc;

namespace EdgePartition.Sync.Tests.Support;

/// <summary>Reads the sync segment the way a consumer does: by the conventional tag names.</summary>
internal sealed class SyncSegmentView : IDisposable
{
    private readonly SegmentReader _reader;
    private readonly SegmentSnapshot _snapshot;

    public SyncSegmentView(TestPartition partition)
    {
        _reader = SegmentReader.Open(partition.SegmentDirectory, partition.Name, SyncSegmentTags.SegmentName);
        _snapshot = _reader.CreateSnapshot();
    }

    public SegmentLayout Layout => _reader.Layout;

    public SegmentSnapshot Read()
    {
        Assert.True(_reader.TryReadSnapshot(_snapshot), "the sync segment could not be read consistently");
        return _snapshot;
    }

    public ulong Heartbeat => Read().GetUInt64(Layout.IndexOf(SyncSegmentTags.Heartbeat));

    public byte[] Image => Read().GetValueSpan(Layout.IndexOf(SyncSegmentTags.Image)).ToArray();

    public bool Alive(string device) => Read().GetBool(Layout.IndexOf(SyncSegmentTags.Alive(device)));

    public long StaleSince(string device) => Read().GetDateTime(Layout.IndexOf(SyncSegmentTags.StaleSince(device)));

    public uint Quality(string device) => Read().GetUInt32(Layout.IndexOf(SyncSegmentTags.Quality(device)));

    public byte RequestState(string pair) => Read().GetUInt8(Layout.IndexOf(SyncSegmentTags.RequestState(pair)));

    public long Time(string tag) => Read().GetDateTime(Layout.IndexOf(tag));

    public ulong Counter(string tag) => Read().GetUInt64(Layout.IndexOf(tag));

    /// <summary>
    /// Waits on the segment's change signal (the sync process commits every cycle) until <paramref name="condition"/>
    /// holds for what <paramref name="probe"/> reads; returns that value.
    /// </summary>
    public async Task<T> UntilAsync<T>(Func<SyncSegmentView, T> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        ulong seen = 0;
        T last = default!;
        await Eventually.OnChangeAsync(
            () =>
            {
                seen = _reader.ChangeSequence; // before the read: a commit after it ends the next wait at once
                last = probe(this);
                return condition(last);
            },
            slice => _reader.WaitForChange(seen, slice),
            what,
            () => $"{last}",
            timeout);
        return last;
    }

    public void Dispose() => _reader.Dispose();
}
