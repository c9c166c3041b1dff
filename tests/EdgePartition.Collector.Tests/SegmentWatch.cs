using EdgePartition.Ipc;

namespace EdgePartition.Collector.Tests;

/// <summary>
/// A reader of one device segment for tests: waits (futex change wake-ups, bounded by a deadline) until a
/// snapshot satisfies a condition. Opening waits for the collector to create the segment.
/// </summary>
internal sealed class SegmentWatch : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
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
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            try
            {
                return new SegmentWatch(SegmentReader.Open(TestPartition.ShmDirectory, partition, device));
            }
            catch (Exception e) when (e is FileNotFoundException or SegmentFormatException && DateTime.UtcNow < deadline)
            {
                // Nothing to wait on before the file exists: poll with a deadline.
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The first snapshot for which <paramref name="condition"/> holds; throws with <paramref name="what"/> on timeout.</summary>
    public async Task<SegmentSnapshot> WaitAsync(Func<SegmentSnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        return await Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
            ulong seen = 0;
            while (true)
            {
                if (_reader.TryReadSnapshot(_snapshot))
                {
                    seen = _snapshot.ChangeSequence;
                    if (condition(_snapshot))
                    {
                        return _snapshot;
                    }
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    ref readonly var status = ref _snapshot.Status;
                    throw new TimeoutException($"{what}: not seen within {(timeout ?? DefaultTimeout).TotalSeconds:0} s (state {status.State}, last error '{status.GetLastError()}', reads ok {status.ReadsOk} failed {status.ReadsFailed})");
                }

                _reader.WaitForChange(seen, left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
            }
        });
    }

    /// <summary>Waits for the published result of a write request.</summary>
    public async Task<WriteResult> WaitForResultAsync(ulong requestId, TimeSpan? timeout = null)
    {
        var snapshot = await WaitAsync(s => s.TryGetWriteResult(requestId, out _), $"result of write request {requestId}", timeout);
        snapshot.TryGetWriteResult(requestId, out var result);
        return result;
    }

    public void Dispose() => _reader.Dispose();
}
