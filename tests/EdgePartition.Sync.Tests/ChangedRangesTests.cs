using EdgePartition.Sync.Image;

namespace EdgePartition.Sync.Tests;

public sealed class ChangedRangesTests
{
    private static ByteRange[] Find(byte[] before, byte[] after, int gap = 4, int room = 8)
    {
        var ranges = new ByteRange[room];
        var count = ChangedRanges.Find(before, after, gap, ranges);
        return ranges[..count];
    }

    [Fact]
    public void EqualImagesHaveNoRanges() => Assert.Empty(Find(new byte[64], new byte[64]));

    [Fact]
    public void ChangesCloserThanTheGapAreMerged()
    {
        var after = new byte[64];
        after[10] = 1;
        after[13] = 1;
        Assert.Equal([new ByteRange(10, 4)], Find(new byte[64], after));
    }

    [Fact]
    public void ChangesAtLeastTheGapApartStaySeparate()
    {
        var after = new byte[64];
        after[10] = 1;
        after[15] = 1;
        after[63] = 1;
        Assert.Equal([new ByteRange(10, 1), new ByteRange(15, 1), new ByteRange(63, 1)], Find(new byte[64], after));
    }

    [Fact]
    public void MoreRangesThanRoomStretchTheLastOneOverEveryChange()
    {
        var after = new byte[64];
        for (var i = 0; i < 64; i += 8)
        {
            after[i] = 1;
        }

        Assert.Equal([new ByteRange(0, 1), new ByteRange(8, 49)], Find(new byte[64], after, room: 2));
    }

    [Fact]
    public void EveryChangedByteIsCoveredForRandomImages()
    {
        var random = new Random(12345);
        for (var round = 0; round < 200; round++)
        {
            var before = new byte[random.Next(1, 300)];
            random.NextBytes(before);
            var after = (byte[])before.Clone();
            for (var k = random.Next(0, 20); k > 0; k--)
            {
                after[random.Next(after.Length)] ^= (byte)random.Next(1, 256);
            }

            var patched = (byte[])before.Clone();
            foreach (var range in Find(before, after, gap: random.Next(1, 32), room: random.Next(1, 6)))
            {
                after.AsSpan(range.Offset, range.Length).CopyTo(patched.AsSpan(range.Offset));
            }

            Assert.Equal(after, patched);
        }
    }
}
