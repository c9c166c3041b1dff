namespace EdgePartition.Modbus.Planning;

/// <summary>
/// Turns the items of a poll group into few read requests: items of one table are sorted by address and merged while
/// the hole between them is at most the configured gap and the merged request stays within the per-request limit.
/// An item larger than the limit is split into consecutive requests whose values are adjacent in the buffer, so the
/// item still reads as one span. Runs once per poll group at configuration time, not per cycle.
/// </summary>
public static class ModbusReadPlanner
{
    public static ModbusReadPlan Plan(ReadOnlySpan<ModbusReadItem> items, ModbusReadPlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var itemArray = items.ToArray();
        var order = new int[itemArray.Length];
        var keys = new long[itemArray.Length];
        for (var i = 0; i < itemArray.Length; i++)
        {
            var item = itemArray[i];
            if (item.Count < 1 || item.Address + item.Count > ModbusLimits.TableSize)
            {
                throw new ArgumentOutOfRangeException(nameof(items), item,
                    $"item {i} ({item.Table} {item.Address}, count {item.Count}) is empty or runs past the end of the table");
            }

            order[i] = i;
            // Table, then address, then the longer item first so shorter ones inside it merge into its request.
            keys[i] = ((long)item.Table << 40) | ((long)item.Address << 20) | (uint)(0xFFFFF - item.Count);
        }

        Array.Sort(keys, order);

        var requests = new List<ModbusReadRequest>();
        var offsets = new int[itemArray.Length];
        var firstRequest = new int[itemArray.Length];
        var lastRequest = new int[itemArray.Length];
        var bufferLength = 0;

        // The open request (-1 when none) and the last run of requests emitted for one span of addresses.
        var open = -1;
        var runTable = (ModbusTable)255;
        int runStart = 0, runEnd = 0, runFirst = 0, runBuffer = 0;

        foreach (var index in order)
        {
            var item = itemArray[index];
            var max = item.Table.IsBits() ? options.MaxBitsPerRequest : options.MaxRegistersPerRequest;
            var gap = item.Table.IsBits() ? options.MaxBitGap : options.MaxRegisterGap;
            var itemEnd = item.Address + item.Count;

            if (item.Table == runTable && item.Address >= runStart && itemEnd <= runEnd)
            {
                // Wholly inside what is already read.
                Map(index, runBuffer + item.Address - runStart, RequestAt(requests, runFirst, runStart, item.Address), RequestAt(requests, runFirst, runStart, itemEnd - 1));
                continue;
            }

            if (open >= 0)
            {
                var current = requests[open];
                var mergedEnd = Math.Max(current.Start + current.Count, itemEnd);
                if (item.Table == current.Table && item.Address <= current.Start + current.Count + gap && mergedEnd - current.Start <= max)
                {
                    var grow = mergedEnd - (current.Start + current.Count);
                    requests[open] = current with { Count = mergedEnd - current.Start };
                    bufferLength += grow;
                    runEnd = mergedEnd;
                    Map(index, current.BufferOffset + item.Address - current.Start, open, open);
                    continue;
                }
            }

            // Start a new run: one request, or several consecutive ones for an item beyond the limit.
            runTable = item.Table;
            runStart = item.Address;
            runEnd = itemEnd;
            runFirst = requests.Count;
            runBuffer = bufferLength;
            for (int start = item.Address; start < itemEnd; start += max)
            {
                var count = Math.Min(max, itemEnd - start);
                requests.Add(new ModbusReadRequest(item.Table, (ushort)start, count, bufferLength));
                bufferLength += count;
            }

            // Only a single request stays open for merging; a split run is closed.
            open = requests.Count - runFirst == 1 ? runFirst : -1;
            Map(index, runBuffer, runFirst, requests.Count - 1);
        }

        return new ModbusReadPlan([.. requests], itemArray, offsets, firstRequest, lastRequest);

        void Map(int item, int offset, int first, int last)
        {
            offsets[item] = offset;
            firstRequest[item] = first;
            lastRequest[item] = last;
        }
    }

    private static int RequestAt(List<ModbusReadRequest> requests, int runFirst, int runStart, int address)
    {
        // Requests of one run are consecutive and contiguous: find the one holding the address.
        for (var i = runFirst; i < requests.Count; i++)
        {
            var request = requests[i];
            if (address < request.Start + request.Count)
            {
                return i;
            }
        }

        return requests.Count - 1;
    }
}
