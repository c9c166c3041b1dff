namespace EdgePartition.Consumers.Endpoints;

/// <summary>Where a follower puts a block's freshly encoded bytes: an S7 data block or Modbus registers.</summary>
internal interface IBlockPublisher
{
    /// <summary>Replaces the block's served bytes with <paramref name="image"/> in one step clients cannot tear.</summary>
    void Publish(MappedBlock block, ReadOnlySpan<byte> image);
}
