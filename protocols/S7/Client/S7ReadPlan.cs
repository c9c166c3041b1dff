using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Client;

/// <summary>
/// The result of <see cref="S7ReadPlanner.Plan"/>: merged ranges laid out in one buffer, split into wire items
/// that each fit the PDU, packed into as few jobs (round trips) as the request and reply budgets allow.
/// Immutable and reusable for every poll; read it with <see cref="S7Client.ReadAsync(S7ReadPlan, Memory{byte}, Memory{S7ReturnCode}, CancellationToken)"/>.
/// </summary>
public sealed class S7ReadPlan
{
    private readonly int[] _itemOffsets;
    private readonly int[] _itemRanges;
    private readonly S7ReadRange[] _ranges;

    internal S7ReadPlan(int pduSize, int[] itemOffsets, int[] itemRanges, S7ReadRange[] ranges, S7ItemSpec[] chunks,
        int[] chunkBufferOffsets, int[] chunkRanges, int[] jobStarts, int bufferLength)
    {
        PduSize = pduSize;
        _itemOffsets = itemOffsets;
        _itemRanges = itemRanges;
        _ranges = ranges;
        Chunks = chunks;
        ChunkBufferOffsets = chunkBufferOffsets;
        ChunkRanges = chunkRanges;
        JobStarts = jobStarts;
        BufferLength = bufferLength;
    }

    /// <summary>The PDU size the plan was made for; it runs on any connection with at least this PDU.</summary>
    public int PduSize { get; }

    /// <summary>Bytes the buffer passed to a read must have.</summary>
    public int BufferLength { get; }

    public int ItemCount => _itemOffsets.Length;

    /// <summary>Round trips one read of this plan costs.</summary>
    public int JobCount => JobStarts.Length - 1;

    /// <summary>Wire items over all jobs.</summary>
    public int WireItemCount => Chunks.Length;

    public ReadOnlySpan<S7ReadRange> Ranges => _ranges;

    /// <summary>Where item <paramref name="index"/> (in the order given to the planner) starts in the buffer.</summary>
    public int GetItemOffset(int index) => _itemOffsets[index];

    /// <summary>The range that holds item <paramref name="index"/>; its status tells whether the item was read.</summary>
    public int GetItemRange(int index) => _itemRanges[index];

    internal S7ItemSpec[] Chunks { get; }

    internal int[] ChunkBufferOffsets { get; }

    internal int[] ChunkRanges { get; }

    /// <summary>Job j covers chunks [JobStarts[j], JobStarts[j + 1]).</summary>
    internal int[] JobStarts { get; }
}
