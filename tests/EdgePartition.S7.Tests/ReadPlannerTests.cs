using EdgePartition.S7.Client;
using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Tests;

public sealed class ReadPlannerTests
{
    [Theory]
    [InlineData(240)]
    [InlineData(480)]
    [InlineData(960)]
    public void EveryJobFitsThePduBothWays(int pdu)
    {
        var random = new Random(pdu);
        var items = Enumerable.Range(0, 300)
            .Select(_ => new S7ReadItem(S7Area.DB, 1 + random.Next(3), random.Next(0, 20_000), random.Next(1, 600)))
            .ToArray();
        var plan = new S7ReadPlanner().Plan(items, pdu);
        for (int job = 0; job < plan.JobCount; job++)
        {
            int first = plan.JobStarts[job], count = plan.JobStarts[job + 1] - first;
            Assert.InRange(S7JobWriter.ReadRequestLength(count), 0, pdu);
            int reply = S7Header.AckLength + 2;
            for (int i = first; i < first + count; i++)
            {
                int length = plan.Chunks[i].DataLength;
                reply += 4 + length + (length & 1);
            }

            Assert.InRange(reply, 0, pdu + 1); // the last item carries no fill byte
        }

        // Every item's bytes are covered by exactly the chunks of its range.
        for (int i = 0; i < items.Length; i++)
        {
            var range = plan.Ranges[plan.GetItemRange(i)];
            Assert.InRange(plan.GetItemOffset(i), range.BufferOffset, range.BufferOffset + range.Length - items[i].Length);
        }
    }

    [Fact]
    public void MergesNeighboursWithinTheGapAndKeepsDistantOnesApart()
    {
        S7ReadItem[] items = [new(S7Area.DB, 1, 0, 2), new(S7Area.DB, 1, 10, 4), new(S7Area.DB, 1, 100, 2), new(S7Area.M, 0, 10, 1), new(S7Area.DB, 2, 10, 1)];
        var plan = new S7ReadPlanner { GapBytes = 16 }.Plan(items, 240);
        Assert.Equal(4, plan.Ranges.Length);
        Assert.Equal(plan.GetItemRange(0), plan.GetItemRange(1));
        Assert.Equal(10, plan.GetItemOffset(1) - plan.GetItemOffset(0));
        Assert.Equal(1, plan.JobCount);

        var apart = new S7ReadPlanner { GapBytes = -1 }.Plan(items, 240);
        Assert.Equal(5, apart.Ranges.Length);
    }

    [Fact]
    public void SplitsALargeRangeIntoFullReplies()
    {
        var plan = new S7ReadPlanner().Plan([new S7ReadItem(S7Area.DB, 1, 0, 4096)], 240);
        Assert.Equal(222, S7ReadPlanner.MaxReadChunk(240));
        Assert.Equal((4096 + 221) / 222, plan.JobCount);
        Assert.Equal(4096, plan.BufferLength);
    }

    [Fact]
    public void OneHundredScatteredTagsCostFewerRoundTripsThanOneItemPerTag()
    {
        var random = new Random(11);
        var items = Enumerable.Range(0, 100).Select(_ => new S7ReadItem(S7Area.DB, 1, random.Next(0, 8000), 4)).ToArray();
        var plan = new S7ReadPlanner().Plan(items, 240);
        int snap7MultiReads = (100 + 18) / 19; // 19 items per job at PDU 240, one item per tag
        Assert.True(plan.JobCount < snap7MultiReads, $"{plan.JobCount} jobs");
    }

    [Fact]
    public void CountersAreWholeElements()
    {
        var plan = new S7ReadPlanner().Plan([new S7ReadItem(S7Area.C, 0, 3, 4), new S7ReadItem(S7Area.C, 0, 10, 2)], 240);
        Assert.All(plan.Chunks, c => Assert.Equal(0, c.DataLength % 2));
        Assert.Equal(0, plan.GetItemOffset(0));
    }

    [Fact]
    public void RejectsItemsNoPlcCanServe()
    {
        var planner = new S7ReadPlanner();
        Assert.Throws<ArgumentOutOfRangeException>(() => planner.Plan([new S7ReadItem(S7Area.DB, 0, 0, 1)], 240));
        Assert.Throws<ArgumentOutOfRangeException>(() => planner.Plan([new S7ReadItem(S7Area.DB, 1, 0, 0)], 240));
        Assert.Throws<ArgumentException>(() => planner.Plan([new S7ReadItem((S7Area)0x99, 0, 0, 1)], 240));
    }
}
