using EdgePartition.Ipc;

namespace EdgePartition.Collector.Tests;

/// <summary>
/// A reader of one device segment for tests: waits on the segment's change signal (futex) until a
/// snapshot satisfies a condition. Opening waits for the collector to create the segment.
/// </summary>
internal sealed class SegmentWatch : IDisposable
{
    private readonly SegmentReader _reader;
    private readonly SegmentSnapshot _snapshot;

    private SegmentWatch(SegmentReader reader)
    {
        _reader = reader;
        _snapshot = reader.CreateSnapshot();
    }

    public SegmentLayout Layout => _reader.Layout;

    public SegmentReader Reader => _reader;

    public int Tag(string name) => _reader.Layout.IndexOf(name);

    /// <summary>Opens the segment once it exists and is published (bounded by <paramref name="timeout"/>).</summary>
    public static async Task<SegmentWatch> OpenAsync(string partition, string device, TimeSpan? timeout = null)
    {
        // Nothing signals a segment file appearing: poll for it.
        var reader = await Eventually.PollAsync(
            () => TryOpen(partition, device),
            opened => opened is not null,
            $"segment {partition}/{device} created and published",
            timeout);
        return new SegmentWatch(reader!);
    }

    /// <summary>The first snapshot for which <paramref name="condition"/> holds; throws with <paramref name="what"/> on timeout.</summary>
    public async Task<SegmentSnapshot> WaitAsync(Func<SegmentSnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        ulong seen = 0;
        await Eventually.OnChangeAsync(
            () =>
            {
                if (!_reader.TryReadSnapshot(_snapshot))
                {
                    return false;
                }

                seen = _snapshot.ChangeSequence;
                return condition(_snapshot);
            },
            slice => _reader.WaitForChange(seen, slice),
            what,
            DescribeStatus,
            timeout);
        return _snapshot;
    }

    /// <summary>Waits for the published result of a write request.</summary>
    public async Task<WriteResult> WaitForResultAsync(ulong requestId, TimeSpan? timeout = null)
    {
        var snapshot = await WaitAsync(s => s.TryGetWriteResult(requestId, out _), $"result of write request {requestId}", timeout);
        snapshot.TryGetWriteResult(requestId, out var result);
        return result;
    }

    public void Dispose() => _reader.Dispose();

    private static SegmentReader? TryOpen(string partition, string device)
    {
        try
        {
            return SegmentReader.Open(TestPartition.ShmDirectory, partition, device);
        }
        catch (Exception e) when (e is FileNotFoundException or SegmentFormatException)
        {
            return null;
        }
    }

    private string DescribeStatus()
    {
        ref readonly var status = ref _snapshot.Status;
        return $"state {status.State}, last error '{status.GetLastError()}', reads ok {status.ReadsOk} failed {status.ReadsFailed}";
    }
}
