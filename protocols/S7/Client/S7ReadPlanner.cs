using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Client;

/// <summary>
/// Plans reads so a poll group costs as few round trips as possible: items are grouped per area and DB, ranges
/// closer than <see cref="GapBytes"/> are merged into one, ranges longer than a reply can carry are split, and the
/// pieces are packed into jobs counting both the request (12 + 12·n) and the reply (14 + Σ(4 + even length)) against
/// the negotiated PDU; a piece that does not fit whole is split to fill the job.
/// </summary>
public sealed class S7ReadPlanner
{
    /// <summary>Reply bytes per job beyond the data: Ack_Data header (12) and function + count (2).</summary>
    private const int ReplyOverhead = S7Header.AckLength + 2;

    /// <summary>Per item: return code, transport size, length (4) — plus a fill byte after odd lengths.</summary>
    private const int ReplyItemOverhead = 4;

    /// <summary>Largest gap (bytes) between two ranges that are still read as one. Negative: never merge.</summary>
    public int GapBytes { get; init; } = 16;

    /// <summary>
    /// Cap on items per job besides the PDU budget (0 = none). Defaults to 20 because snap7's server (the usual
    /// virtual PLC) answers at most 20 items (its MaxVars); S7-1500s take more at PDU 960, so raise it for them.
    /// </summary>
    public int MaxItemsPerJob { get; init; } = DefaultMaxItemsPerJob;

    public const int DefaultMaxItemsPerJob = 20;

    /// <summary>
    /// Also try wider gaps than <see cref="GapBytes"/> and keep the plan with the fewest jobs (default on; planning
    /// happens once per poll group, not per poll).
    /// </summary>
    public bool OptimizeGaps { get; init; } = true;

    private const int MaxGapCandidates = 48;

    /// <summary>Pieces smaller than this are not split off to fill a job; they start the next one.</summary>
    public int MinSplitBytes { get; init; } = 32;

    /// <summary>The largest single wire item a read reply can carry at this PDU size (PDU − 18).</summary>
    public static int MaxReadChunk(int pduSize) => (pduSize - ReplyOverhead - ReplyItemOverhead) & ~1;

    public S7ReadPlan Plan(ReadOnlySpan<S7ReadItem> items, int pduSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pduSize, 64);
        for (int i = 0; i < items.Length; i++)
        {
            Validate(items[i]);
        }

        // 1. Sort item indices by (area, db, byte position).
        var order = new int[items.Length];
        var keys = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            order[i] = i;
            keys[i] = ((long)items[i].Area << 56) | ((long)items[i].DbNumber << 32) | (uint)BytePosition(items[i]);
        }

        Array.Sort(keys, order);

        var best = Build(items, order, pduSize, GapBytes);
        if (!OptimizeGaps || GapBytes < 0)
        {
            return best;
        }

        // Wider gaps trade bytes for items: where the item cap or the request budget binds, merging more saves jobs.
        // Try the observed gaps (sampled) and keep the plan with the fewest jobs, then the fewest bytes.
        foreach (int gap in CandidateGaps(items, order, pduSize, GapBytes))
        {
            var plan = Build(items, order, pduSize, gap);
            if (plan.JobCount < best.JobCount || (plan.JobCount == best.JobCount && plan.BufferLength < best.BufferLength))
            {
                best = plan;
            }
        }

        return best;
    }

    private static List<int> CandidateGaps(ReadOnlySpan<S7ReadItem> items, int[] order, int pduSize, int minimum)
    {
        var gaps = new List<int>();
        int limit = MaxReadChunk(pduSize);
        int end = 0;
        for (int k = 0; k < order.Length; k++)
        {
            var item = items[order[k]];
            if (k > 0)
            {
                var previous = items[order[k - 1]];
                int gap = BytePosition(item) - end;
                if (previous.Area == item.Area && previous.DbNumber == item.DbNumber && gap > minimum && gap <= limit)
                {
                    gaps.Add(gap);
                }

                end = previous.Area == item.Area && previous.DbNumber == item.DbNumber ? Math.Max(end, BytePosition(item) + item.Length)
                    : BytePosition(item) + item.Length;
            }
            else
            {
                end = BytePosition(item) + item.Length;
            }
        }

        gaps.Sort();
        var candidates = new List<int>();
        int step = Math.Max(1, gaps.Count / MaxGapCandidates);
        for (int i = 0; i < gaps.Count; i += step)
        {
            if (candidates.Count == 0 || candidates[^1] != gaps[i])
            {
                candidates.Add(gaps[i]);
            }
        }

        return candidates;
    }

    private S7ReadPlan Build(ReadOnlySpan<S7ReadItem> items, int[] order, int pduSize, int gapBytes)
    {
        // 2. Merge neighbours, lay ranges out in one buffer.
        var ranges = new List<S7ReadRange>();
        var itemOffsets = new int[items.Length];
        var itemRanges = new int[items.Length];
        int bufferLength = 0;
        int n = 0;
        while (n < order.Length)
        {
            var first = items[order[n]];
            int start = BytePosition(first);
            int end = start + first.Length;
            int m = n + 1;
            while (m < order.Length)
            {
                var next = items[order[m]];
                if (next.Area != first.Area || next.DbNumber != first.DbNumber || BytePosition(next) > end + gapBytes || gapBytes < 0)
                {
                    break;
                }

                end = Math.Max(end, BytePosition(next) + next.Length);
                m++;
            }

            if (first.Area.IsElementAddressed())
            {
                end = (end + 1) & ~1;
            }

            int rangeIndex = ranges.Count;
            for (int k = n; k < m; k++)
            {
                itemOffsets[order[k]] = bufferLength + (BytePosition(items[order[k]]) - start);
                itemRanges[order[k]] = rangeIndex;
            }

            int offset = first.Area.IsElementAddressed() ? start / 2 : start;
            ranges.Add(new S7ReadRange(first.Area, first.DbNumber, offset, end - start, bufferLength));
            bufferLength += end - start;
            n = m;
        }

        // 3. Split into wire items and pack them into jobs.
        var chunks = new List<S7ItemSpec>();
        var chunkOffsets = new List<int>();
        var chunkRanges = new List<int>();
        var jobStarts = new List<int> { 0 };
        int maxChunk = MaxReadChunk(pduSize);
        int maxItems = Math.Min(255, (pduSize - S7JobWriter.ReadRequestLength(0)) / S7ItemSpec.WireLength);
        if (MaxItemsPerJob > 0)
        {
            maxItems = Math.Min(maxItems, MaxItemsPerJob);
        }

        int jobItems = 0;
        int jobReply = ReplyOverhead;
        for (int r = 0; r < ranges.Count; r++)
        {
            var range = ranges[r];
            bool elements = range.Area.IsElementAddressed();
            int position = 0;
            while (position < range.Length)
            {
                int remaining = range.Length - position;
                int room = pduSize - jobReply - ReplyItemOverhead;
                int piece = Math.Min(remaining, maxChunk);
                bool fits = jobItems < maxItems && piece + (piece & 1) <= room;
                if (!fits)
                {
                    int split = room & ~1;
                    if (jobItems < maxItems && split >= MinSplitBytes && split < piece)
                    {
                        piece = split;
                    }
                    else
                    {
                        jobStarts.Add(chunks.Count);
                        jobItems = 0;
                        jobReply = ReplyOverhead;
                        continue;
                    }
                }

                int wireOffset = elements ? range.Offset + (position / 2) : range.Offset + position;
                int count = elements ? piece / 2 : piece;
                chunks.Add(new S7ItemSpec(range.Area, range.DbNumber, wireOffset, count));
                chunkOffsets.Add(range.BufferOffset + position);
                chunkRanges.Add(r);
                jobItems++;
                jobReply += ReplyItemOverhead + piece + (piece & 1);
                position += piece;
            }
        }

        if (chunks.Count > jobStarts[^1])
        {
            jobStarts.Add(chunks.Count);
        }

        return new S7ReadPlan(pduSize, itemOffsets, itemRanges, [.. ranges], [.. chunks], [.. chunkOffsets], [.. chunkRanges],
            [.. jobStarts], bufferLength);
    }

    private static int BytePosition(in S7ReadItem item) => item.Area.IsElementAddressed() ? item.Offset * 2 : item.Offset;

    private static void Validate(in S7ReadItem item)
    {
        if (!item.Area.IsDefined())
        {
            throw new ArgumentException($"unknown area 0x{(byte)item.Area:X2}", nameof(item));
        }

        if (item.Length <= 0 || item.Offset < 0 || item.Offset > S7Address.MaxOffset || item.Length > 0xFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(item), item, "offset must be 0..2097151 and length 1..65535");
        }

        if (item.Area == S7Area.DB ? item.DbNumber is < 1 or > ushort.MaxValue : item.DbNumber != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(item), item, "DB items need a DB number 1..65535; other areas 0");
        }
    }
}
