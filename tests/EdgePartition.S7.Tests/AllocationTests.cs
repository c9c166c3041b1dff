using System.Net;
using EdgePartition.S7.Client;
using EdgePartition.S7.Server;

namespace EdgePartition.S7.Tests;

/// <summary>Allocation is counted process-wide, so these tests run alone.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// The collector polls every few milliseconds forever, so a steady-state poll must allocate nothing, whether it is one
/// job or several pipelined jobs. The PLC is snap7's server in its own process: only our client and the runtime's
/// socket machinery count here.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests(Snap7AllAreasFixture shared) : IClassFixture<Snap7AllAreasFixture>
{
    public static TheoryData<string> Plans => ["one job", "five jobs", "scattered tags"];

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task PlanReadsAllocateNothingPerPoll(string plan)
    {
        await using var client = new S7Client(new S7ClientOptions
        {
            Host = "127.0.0.1",
            Port = shared.Server.Port,
            RequestedPduSize = 960,
            JobTimeout = TimeSpan.FromSeconds(10),
        });
        await client.ConnectAsync(TestTimeouts.Token());
        var readPlan = new S7ReadPlanner().Plan(Items(plan), client.PduSize);
        var buffer = new byte[readPlan.BufferLength];
        var status = new S7ReturnCode[readPlan.Ranges.Length];
        // Like the collector's stopping token: every job registers with it and unregisters again.
        using var stopping = new CancellationTokenSource();

        var perPoll = await AllocationMeter.BytesPerCallAsync(() => client.ReadAsync(readPlan, buffer, status, stopping.Token), calls: 2000, warmUp: 300, rounds: 4);

        Assert.True(perPoll < AllocationMeter.NoObjectBound(typeof(S7Client).Assembly, readPlan.JobCount),
            $"{perPoll:0.0} bytes allocated per poll of {readPlan.JobCount} jobs ({client.ParallelJobs} parallel jobs granted)");
        Assert.All(status, s => Assert.Equal(S7ReturnCode.Success, s));
        Assert.Equal(0, client.Counters.Timeouts);
        // DB1 of the fixture holds its byte index (mod 256): the last item's last byte proves the reply was stored.
        var items = Items(plan);
        var last = items[^1];
        Assert.Equal((byte)(last.Offset + last.Length - 1), buffer[readPlan.GetItemOffset(items.Length - 1) + last.Length - 1]);
    }

    [Fact]
    public async Task PollsOfOurOwnServerAllocateNothingOnEitherSide()
    {
        // Client and server in this process: both sides' per-job paths are counted.
        await using var server = new S7Server();
        var db = server.RegisterArea(S7Area.DB, 1, 8192);
        db.Span.Fill(0x5A);
        server.Start(IPAddress.Loopback, 0);
        await using var client = new S7Client(new S7ClientOptions { Host = "127.0.0.1", Port = server.Port, JobTimeout = TimeSpan.FromSeconds(10) });
        await client.ConnectAsync(TestTimeouts.Token());
        var plan = new S7ReadPlanner().Plan(Items("five jobs"), client.PduSize);
        var buffer = new byte[plan.BufferLength];
        var status = new S7ReturnCode[plan.Ranges.Length];

        var perPoll = await AllocationMeter.BytesPerCallAsync(() => client.ReadAsync(plan, buffer, status), calls: 2000, warmUp: 300, rounds: 4);

        Assert.True(perPoll < AllocationMeter.NoObjectBound(typeof(S7Client).Assembly, 2 * plan.JobCount),
            $"{perPoll:0.0} bytes allocated per poll of {plan.JobCount} jobs, client and server together");
        Assert.All(buffer, b => Assert.Equal(0x5A, b));
    }

    private static S7ReadItem[] Items(string plan) => plan switch
    {
        "one job" => [new S7ReadItem(S7Area.DB, 1, 0, 200)],
        // 4 KiB at PDU 960 is five jobs, pipelined up to the parallel jobs the server granted.
        "five jobs" => [new S7ReadItem(S7Area.DB, 1, 0, 4096)],
        _ => ScatteredTags(),
    };

    private static S7ReadItem[] ScatteredTags()
    {
        var random = new Random(42);
        var items = new S7ReadItem[100];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new S7ReadItem(S7Area.DB, 1, random.Next(0, 4000) * 2, 1 << random.Next(3));
        }

        return items;
    }
}
