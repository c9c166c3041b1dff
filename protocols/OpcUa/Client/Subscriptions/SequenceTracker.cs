namespace EdgePartition.OpcUa.Client.Subscriptions;

/// <summary>What to do with a notification message's sequence number.</summary>
internal enum SequenceVerdict
{
    /// <summary>Not seen before: deliver it (it may be late, filling a gap).</summary>
    New,

    /// <summary>Already delivered (a Republish or transfer sent it again): acknowledge, do not deliver.</summary>
    Duplicate,
}

/// <summary>
/// The sequence numbers of one subscription's notification messages (Part 4 §5.13.1.1: consecutive, starting at 1):
/// the highest seen and which of the 64 below it arrived, so a gap is found, a late message filling it is still
/// delivered, and a message seen twice is dropped. Responses to concurrent Publish requests may be handled slightly
/// out of order, so a gap is only reported as missing once a later message has also been handled.
/// </summary>
internal struct SequenceTracker
{
    private const int Window = 64;

    private uint _highest;
    private ulong _received;
    private ulong _suspect;

    /// <summary>The highest sequence number seen (0 before the first).</summary>
    public readonly uint Highest => _highest;

    /// <summary>Records a data message's sequence number.</summary>
    public SequenceVerdict Observe(uint sequence)
    {
        if (sequence == 0)
        {
            return SequenceVerdict.Duplicate;
        }

        if (_highest == 0 || sequence > _highest)
        {
            Advance(sequence, receivedTop: true);
            return SequenceVerdict.New;
        }

        var back = _highest - sequence;
        if (back >= Window)
        {
            return SequenceVerdict.Duplicate;
        }

        var bit = 1UL << (int)back;
        if ((_received & bit) != 0)
        {
            return SequenceVerdict.Duplicate;
        }

        _received |= bit;
        _suspect &= ~bit;
        return SequenceVerdict.New;
    }

    /// <summary>
    /// A keep-alive carries the number the next data message will have: everything below it should have arrived.
    /// </summary>
    public void ObserveKeepAlive(uint nextSequence)
    {
        if (nextSequence > 1 && _highest != 0 && nextSequence - 1 > _highest)
        {
            Advance(nextSequence - 1, receivedTop: false);
        }
    }

    /// <summary>
    /// Writes the numbers that were missing at the previous call and still are (at most <paramref name="missing"/>'s
    /// length), then remembers the current gaps for the next call.
    /// </summary>
    public int TakeMissing(Span<uint> missing)
    {
        var found = 0;
        var stillMissing = _suspect & ~_received;
        for (var back = 0; back < Window && found < missing.Length && stillMissing != 0; back++)
        {
            var bit = 1UL << back;
            if ((stillMissing & bit) != 0 && _highest > (uint)back)
            {
                missing[found++] = _highest - (uint)back;
                _received |= bit;
            }
        }

        _suspect = ~_received & KnownRange();
        return found;
    }

    /// <summary>Forgets everything (a recreated subscription starts again at 1).</summary>
    public void Reset() => this = default;

    private void Advance(uint sequence, bool receivedTop)
    {
        if (_highest == 0)
        {
            _highest = sequence;
            _received = receivedTop ? 1UL : 0UL;

            // Numbers below the first seen are not ours to ask for (a transfer or a late start).
            _received |= ~1UL;
            return;
        }

        var shift = sequence - _highest;
        _received = shift >= Window ? 0 : _received << (int)shift;
        _suspect = shift >= Window ? 0 : _suspect << (int)shift;
        if (receivedTop)
        {
            _received |= 1;
        }

        _highest = sequence;
    }

    private readonly ulong KnownRange() => _highest >= Window ? ulong.MaxValue : (1UL << (int)_highest) - 1;
}
