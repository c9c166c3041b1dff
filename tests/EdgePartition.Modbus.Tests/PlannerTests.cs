using EdgePartition.Modbus.Planning;

namespace EdgePartition.Modbus.Tests;

public sealed class PlannerTests
{
    private static readonly ModbusReadPlannerOptions Gap10 = new() { MaxRegisterGap = 10, MaxBitGap = 16 };

    [Fact]
    public void MergesNearbyItemsWithinTheGap()
    {
        var plan = ModbusReadPlanner.Plan([
            new(ModbusTable.HoldingRegisters, 0, 2),
            new(ModbusTable.HoldingRegisters, 12, 2),   // gap 10: merged
            new(ModbusTable.HoldingRegisters, 25, 1),   // gap 11: new request
            new(ModbusTable.HoldingRegisters, 13, 1),   // inside an earlier item
        ], Gap10);
        Assert.Equal([new(ModbusTable.HoldingRegisters, 0, 14, 0), new(ModbusTable.HoldingRegisters, 25, 1, 14)], plan.Requests.ToArray());
        Assert.Equal(15, plan.BufferLength);
        Assert.Equal(0, plan.ItemOffset(0));
        Assert.Equal(12, plan.ItemOffset(1));
        Assert.Equal(14, plan.ItemOffset(2));
        Assert.Equal(13, plan.ItemOffset(3));
    }

    [Fact]
    public void KeepsTablesApartAndOrdersByAddress()
    {
        var plan = ModbusReadPlanner.Plan([
            new(ModbusTable.InputRegisters, 5, 1),
            new(ModbusTable.Coils, 100, 8),
            new(ModbusTable.HoldingRegisters, 5, 1),
            new(ModbusTable.Coils, 90, 4),
        ], Gap10);
        Assert.Equal(3, plan.Requests.Length);
        Assert.Equal(new ModbusReadRequest(ModbusTable.Coils, 90, 18, 0), plan.Requests[0]);
        Assert.Equal(10, plan.ItemOffset(1));
        Assert.Equal(ModbusTable.InputRegisters, plan.Requests[1].Table);
        Assert.Equal(ModbusTable.HoldingRegisters, plan.Requests[2].Table);
    }

    [Fact]
    public void NeverExceedsThePerRequestLimit()
    {
        var items = new ModbusReadItem[40];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new ModbusReadItem(ModbusTable.HoldingRegisters, (ushort)(i * 4), 2);
        }

        var plan = ModbusReadPlanner.Plan(items, new ModbusReadPlannerOptions { MaxRegisterGap = 4, MaxRegistersPerRequest = 30 });
        foreach (var request in plan.Requests)
        {
            Assert.InRange(request.Count, 1, 30);
        }

        for (var i = 0; i < items.Length; i++)
        {
            var (first, last) = plan.ItemRequests(i);
            Assert.Equal(first, last); // no 2-register value is torn across requests
            var request = plan.Requests[first];
            Assert.Equal(request.BufferOffset + items[i].Address - request.Start, plan.ItemOffset(i));
        }
    }

    [Fact]
    public void SplitsAnItemLargerThanTheLimitIntoAdjacentRequests()
    {
        var plan = ModbusReadPlanner.Plan([
            new(ModbusTable.HoldingRegisters, 10, 300),
            new(ModbusTable.HoldingRegisters, 200, 2),  // inside the big one, in its second request
            new(ModbusTable.HoldingRegisters, 312, 1),
        ], Gap10);
        Assert.Equal([new(ModbusTable.HoldingRegisters, 10, 125, 0), new(ModbusTable.HoldingRegisters, 135, 125, 125),
            new(ModbusTable.HoldingRegisters, 260, 50, 250), new(ModbusTable.HoldingRegisters, 312, 1, 300)], plan.Requests.ToArray());
        Assert.Equal((0, 2), plan.ItemRequests(0));
        Assert.Equal(190, plan.ItemOffset(1));
        Assert.Equal((1, 1), plan.ItemRequests(1));
        Assert.Equal(300, plan.ItemOffset(2));
    }

    [Fact]
    public void ItemStatusReportsTheFirstFailedRequestOfAnItem()
    {
        var plan = ModbusReadPlanner.Plan([new(ModbusTable.HoldingRegisters, 0, 200), new(ModbusTable.Coils, 0, 1)], Gap10);
        ModbusExceptionCode[] results = [ModbusExceptionCode.None, ModbusExceptionCode.IllegalDataAddress, ModbusExceptionCode.None];
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, plan.ItemStatus(0, results));
        Assert.Equal(ModbusExceptionCode.None, plan.ItemStatus(1, results));
    }

    [Fact]
    public void RefusesItemsPastTheEndOfTheTable()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusReadPlanner.Plan([new(ModbusTable.HoldingRegisters, 65535, 2)], Gap10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusReadPlanner.Plan([new(ModbusTable.HoldingRegisters, 0, 0)], Gap10));
    }

    [Fact]
    public void EveryItemIsCoveredByItsRequests()
    {
        var random = new Random(99);
        for (var round = 0; round < 200; round++)
        {
            var items = new ModbusReadItem[random.Next(1, 60)];
            for (var i = 0; i < items.Length; i++)
            {
                var table = (ModbusTable)new byte[] { 0, 1, 3, 4 }[random.Next(4)];
                var count = random.Next(1, table.IsBits() ? 3000 : 300);
                items[i] = new ModbusReadItem(table, (ushort)random.Next(0, 65536 - count), count);
            }

            var options = new ModbusReadPlannerOptions { MaxRegisterGap = random.Next(0, 50), MaxBitGap = random.Next(0, 500), MaxRegistersPerRequest = random.Next(1, 126), MaxBitsPerRequest = random.Next(1, 2001) };
            var plan = ModbusReadPlanner.Plan(items, options);
            for (var i = 0; i < items.Length; i++)
            {
                // The first, last and some middle elements of the item lie in a request of its table at the matching buffer position.
                var (first, last) = plan.ItemRequests(i);
                foreach (var k in new[] { 0, items[i].Count / 3, items[i].Count / 2, items[i].Count - 1 })
                {
                    var address = items[i].Address + k;
                    var position = plan.ItemOffset(i) + k;
                    var found = false;
                    for (var r = first; r <= last && !found; r++)
                    {
                        var request = plan.Requests[r];
                        found = request.Table == items[i].Table && address >= request.Start && address < request.Start + request.Count
                            && position == request.BufferOffset + address - request.Start;
                    }

                    Assert.True(found, $"round {round} item {i} element {k}");
                }
            }

            foreach (var request in plan.Requests)
            {
                Assert.InRange(request.Count, 1, request.Table.IsBits() ? options.MaxBitsPerRequest : options.MaxRegistersPerRequest);
            }
        }
    }
}
