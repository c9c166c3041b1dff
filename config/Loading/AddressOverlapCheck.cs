using EdgePartition.S7;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Finds tags of one device whose addresses collide. A tag lying wholly inside another is allowed (a send block
/// and views of its fields); the same address twice, or two ranges that only partly overlap, are errors.
/// </summary>
internal static class AddressOverlapCheck
{
    private readonly record struct Span(string Space, long Start, long End, TagConfig Tag);

    public static void Check(DeviceConfig device, ProblemList problems)
    {
        var spans = new List<Span>();
        foreach (var tag in device.Tags)
        {
            if (SpanOf(tag) is { } span)
            {
                spans.Add(span);
            }
        }

        // Sweep in address order; longer ranges first at equal starts so that a container precedes its contents.
        spans.Sort(static (a, b) =>
        {
            var bySpace = string.CompareOrdinal(a.Space, b.Space);
            if (bySpace != 0)
            {
                return bySpace;
            }

            var byStart = a.Start.CompareTo(b.Start);
            return byStart != 0 ? byStart : b.End.CompareTo(a.End);
        });

        var open = new List<Span>();
        foreach (var current in spans)
        {
            open.RemoveAll(a => a.Space != current.Space || a.End <= current.Start);
            foreach (var earlier in open)
            {
                if (earlier.Start == current.Start && earlier.End == current.End)
                {
                    problems.Add(current.Tag.Location!, $"tag '{current.Tag.Name}' has the same address as tag '{earlier.Tag.Name}' ({earlier.Tag.Address}, declared at {earlier.Tag.Location})");
                }
                else if (current.End > earlier.End)
                {
                    problems.Add(current.Tag.Location!, $"tag '{current.Tag.Name}' ({current.Tag.Address}) partly overlaps tag '{earlier.Tag.Name}' ({earlier.Tag.Address}, declared at {earlier.Tag.Location}); a tag may lie wholly inside another, not across its end");
                }
            }

            open.Add(current);
        }
    }

    /// <summary>The tag's range in bits (S7, Modbus bit tables) or registers (Modbus registers), keyed by address space.</summary>
    private static Span? SpanOf(TagConfig tag)
    {
        if (tag.S7Address is { } s7)
        {
            var space = s7.Area == S7Area.DB ? $"DB{s7.DbNumber}" : s7.Area.ToString();
            long start = (s7.Offset * 8L) + s7.Bit;
            long bits = s7.IsBit ? tag.ArrayLength : tag.ByteLength * 8L;
            return new Span(space, start, start + bits, tag);
        }

        if (tag.ModbusAddress is { } modbus)
        {
            return new Span(modbus.Table.ToString(), modbus.Address, modbus.Address + tag.ModbusCount, tag);
        }

        return null;
    }
}
