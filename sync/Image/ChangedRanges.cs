namespace EdgePartition.Sync.Image;

/// <summary>
/// Finds the byte ranges where two images differ, merging ranges separated by fewer than a gap of equal bytes: one
/// write of a few unchanged bytes is cheaper than another request round trip to a PLC. Equal runs are skipped with
/// the vectorised common-prefix search, so an unchanged 64 KiB image costs microseconds.
/// </summary>
internal static class ChangedRanges
{
    /// <summary>
    /// Fills <paramref name="ranges"/> and returns how many were found. When there are more than it holds, the last
    /// range is stretched to the last difference, so every change is always covered.
    /// </summary>
    public static int Find(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> current, int mergeGap, Span<ByteRange> ranges)
    {
        if (previous.Length != current.Length)
        {
            throw new ArgumentException("images differ in size", nameof(current));
        }

        if (ranges.IsEmpty)
        {
            throw new ArgumentException("no room for ranges", nameof(ranges));
        }

        var length = current.Length;
        var count = 0;
        var i = 0;
        while (true)
        {
            i += previous[i..].CommonPrefixLength(current[i..]);
            if (i >= length)
            {
                return count;
            }

            var start = i;
            var end = i + 1;
            while (end < length)
            {
                var equal = previous[end..].CommonPrefixLength(current[end..]);
                if (end + equal >= length || equal >= mergeGap)
                {
                    break;
                }

                end += equal + 1;
            }

            if (count == ranges.Length)
            {
                var last = ranges[count - 1];
                ranges[count - 1] = new ByteRange(last.Offset, end - last.Offset);
            }
            else
            {
                ranges[count++] = new ByteRange(start, end - start);
            }

            i = end;
        }
    }
}
