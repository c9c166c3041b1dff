using System.Net;
using BenchmarkDotNet.Attributes;
using EdgePartition.S7.Client;
using EdgePartition.S7.Server;

namespace EdgePartition.S7.Bench.Micro;

/// <summary>
/// Whole polls of our client against our own S7 server in this process on 127.0.0.1 (PDU 960, 8 parallel jobs): one
/// job of 200 bytes, 4 KiB in five pipelined jobs, and 100 scattered tags. Allocation is counted process-wide, so
/// it includes the server's.
/// </summary>
public class RoundTripBenchmarks
{
    private S7Server _server = null!;
    private S7Client _client = null!;
    private Poll _oneJob = null!;
    private Poll _fiveJobs = null!;
    private Poll _tags = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new S7Server();
        var db = _server.RegisterArea(S7Area.DB, 1, 16384);
        for (int i = 0; i < db.Length; i++)
        {
            db.Span[i] = (byte)i;
        }

        _server.Start(IPAddress.Loopback, 0);
        _client = new S7Client(new S7ClientOptions { Host = "127.0.0.1", Port = _server.Port, JobTimeout = TimeSpan.FromSeconds(5) });
        _client.ConnectAsync().AsTask().GetAwaiter().GetResult();
        var planner = new S7ReadPlanner();
        _oneJob = new Poll(planner.Plan([new S7ReadItem(S7Area.DB, 1, 0, 200)], _client.PduSize));
        _fiveJobs = new Poll(planner.Plan([new S7ReadItem(S7Area.DB, 1, 0, 4096)], _client.PduSize));
        _tags = new Poll(planner.Plan(ScatteredTags.Create(100), _client.PduSize));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public ValueTask ReadOneJob() => _oneJob.ReadAsync(_client);

    [Benchmark]
    public ValueTask ReadFiveJobs() => _fiveJobs.ReadAsync(_client);

    [Benchmark]
    public ValueTask ReadOneHundredTags() => _tags.ReadAsync(_client);

    private sealed class Poll(S7ReadPlan plan)
    {
        private readonly byte[] _buffer = new byte[plan.BufferLength];
        private readonly S7ReturnCode[] _status = new S7ReturnCode[plan.Ranges.Length];

        public ValueTask ReadAsync(S7Client client) => client.ReadAsync(plan, _buffer, _status);
    }
}
