using BenchmarkDotNet.Attributes;

namespace EdgePartition.Ipc.Benchmarks;

/// <summary>
/// In-process cost and allocations of the pieces of a publish (BenchmarkDotNet, in this process: the harness's
/// runtime settings apply and nothing has to be restored or built at run time).
/// </summary>
[MemoryDiagnoser]
public class SegmentMicroBenchmarks
{
    private readonly string _partition = $"micro{Environment.ProcessId:x}";
    private readonly byte[] _value = new byte[8];
    private SegmentWriter _writer = null!;
    private SegmentReader _reader = null!;
    private SegmentSnapshot _snapshot = null!;
    private long _counter;

    [GlobalSetup]
    public void Setup()
    {
        var layout = SegmentLayout.Create([new TagDescriptor("counter", IpcDataType.Int64), new TagDescriptor("payload", IpcDataType.Float64, ArrayLength: 16)]);
        _writer = SegmentWriter.Create(SegmentNames.DefaultDirectory, _partition, "micro", layout);
        _writer.Commit();
        _reader = SegmentReader.Open(SegmentNames.DefaultDirectory, _partition, "micro");
        _snapshot = _reader.CreateSnapshot();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _writer.Dispose();
        SegmentDirectory.DeletePartition(SegmentNames.DefaultDirectory, _partition);
    }

    [Benchmark(Description = "SetInt64 (stage one tag)")]
    public void Stage() => _writer.SetInt64(0, ++_counter);

    [Benchmark(Description = "SetInt64 + Commit (one tag changed)")]
    public void StageAndCommit()
    {
        _writer.SetInt64(0, ++_counter);
        _writer.Commit();
    }

    [Benchmark(Description = "Commit (nothing changed)")]
    public void CommitUnchanged() => _writer.Commit();

    [Benchmark(Description = "TryReadTag (Int64)")]
    public bool ReadTag() => _reader.TryReadTag(0, _value, out _);

    [Benchmark(Description = "TagVersion")]
    public uint Version() => _reader.TagVersion(0);

    [Benchmark(Description = "TryReadSnapshot (4.8 KiB data area)")]
    public bool Snapshot() => _reader.TryReadSnapshot(_snapshot);

    [Benchmark(Description = "UnixTime.NowNs")]
    public long WallClock() => UnixTime.NowNs();

    [Benchmark(Description = "MonotonicClock.NowNanoseconds")]
    public long MonotonicNow() => MonotonicClock.NowNanoseconds;
}
