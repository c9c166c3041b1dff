namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// One source segment exposed as a contiguous block: an S7 data block, or a range of Modbus registers (holding and
/// input registers alike).
/// </summary>
/// <param name="Segment">The segment name: a device name, or <c>sync</c> for the merged image.</param>
/// <param name="IsDevice">True for a device segment (writes may go to its write queue); false for sync's image.</param>
/// <param name="Number">S7: the DB number; Modbus: the first register (0-based wire address).</param>
/// <param name="Length">Bytes in the block (Modbus: always even, two per register).</param>
/// <param name="Tags">The tags in the block, by ascending offset.</param>
public sealed record MappedBlock(string Segment, bool IsDevice, int Number, int Length, IReadOnlyList<MappedTag> Tags)
{
    /// <summary>Registers the block spans (Modbus).</summary>
    public int RegisterCount => Length / 2;

    /// <summary>The tag whose bytes hold <paramref name="offset"/>, or null for a gap.</summary>
    public MappedTag? FindTag(int offset)
    {
        // Tags are sorted by offset: a binary search keeps writes to large blocks cheap.
        int low = 0, high = Tags.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            var tag = Tags[middle];
            if (offset < tag.Offset)
            {
                high = middle - 1;
            }
            else if (offset >= tag.End)
            {
                low = middle + 1;
            }
            else
            {
                return tag;
            }
        }

        return null;
    }
}
