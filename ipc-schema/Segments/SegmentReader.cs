using System.Buffers.Binary;
using System.Diagnostics;
using EdgePartition.Native;

namespace EdgePartition.Ipc;

/// <summary>
/// A read-only attachment to a segment: the file is opened O_RDONLY and mapped PROT_READ, so a reader cannot
/// disturb the writer. Snapshots are copied out under the seqlock; nothing hands out spans into shared memory.
/// A reader instance may be used from one thread at a time.
/// </summary>
public sealed unsafe class SegmentReader : IDisposable
{
    /// <summary>Copy attempts before <see cref="TryReadSnapshot"/> gives up (a commit is a few microseconds).</summary>
    public const int DefaultMaxAttempts = 10_000;

    /// <summary>
    /// A reader that cannot register in the waiters file is not counted, so commits may skip its wake-up; it
    /// re-checks the sequence at least this often (the writer's heartbeat also wakes it every 100 ms).
    /// </summary>
    internal static readonly TimeSpan UncountedWaitSlice = TimeSpan.FromMilliseconds(20);

    private static readonly long WaitersRetryTicks = Stopwatch.Frequency;

    private readonly SharedMapping _mapping;
    private readonly byte* _base;
    private WaiterCount? _waiters;
    private long _nextWaitersAttempt;

    private SegmentReader(string path, SharedMapping mapping, SegmentLayout layout)
    {
        Path = path;
        _mapping = mapping;
        _base = mapping.Pointer;
        Layout = layout;
        Epoch = ReadUInt64(SegmentFormat.EpochOffset);
    }

    public string Path { get; }

    public SegmentLayout Layout { get; }

    /// <summary>The writer incarnation seen when this reader attached or last read a snapshot.</summary>
    public ulong Epoch { get; private set; }

    /// <summary>Incremented after every commit and state change; its low 32 bits are the futex word.</summary>
    public ulong ChangeSequence => ReadUInt64(SegmentFormat.ChangeSequenceOffset);

    public SegmentState State => (SegmentState)Volatile.Read(ref *(uint*)(_base + SegmentFormat.StateOffset));

    /// <summary>Opens `&lt;directory&gt;/edgepart.&lt;partition&gt;.&lt;name&gt;` read-only.</summary>
    /// <exception cref="FileNotFoundException">No such segment.</exception>
    /// <exception cref="SegmentFormatException">The file is not a valid segment; the message names file and problem.</exception>
    public static SegmentReader Open(string directory, string partition, string name) =>
        OpenPath(SegmentNames.SegmentPath(directory, partition, name));

    public static SegmentReader OpenPath(string path)
    {
        using var fd = SafeFdHandle.Open(path, Interop.Libc.O_RDONLY);
        var length = fd.Length(path);
        if (length < SegmentFormat.HeaderSize)
        {
            // Too small to map meaningfully; read what there is for a precise message.
            Span<byte> head = stackalloc byte[(int)Math.Max(length, 0)];
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                stream.ReadExactly(head);
            }

            SegmentHeaderProbe.Validate(path, head);
        }

        var mapping = SharedMapping.Map(fd, length, writable: false, path);
        try
        {
            var layout = SegmentHeaderProbe.Validate(path, mapping.Span);
            return new SegmentReader(path, mapping, layout);
        }
        catch
        {
            mapping.Dispose();
            throw;
        }
    }

    public SegmentSnapshot CreateSnapshot() => new(Layout);

    /// <summary>
    /// Copies the data area into <paramref name="snapshot"/> under the seqlock: read the sequence (acquire), skip
    /// if odd, copy, read barrier, accept only if the sequence is unchanged. Gives up after
    /// <paramref name="maxAttempts"/> collisions (writer stuck mid-commit or dead: check <see cref="CheckLiveness"/>).
    /// </summary>
    public bool TryReadSnapshot(SegmentSnapshot snapshot, int maxAttempts = DefaultMaxAttempts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!ReferenceEquals(snapshot.Layout, Layout))
        {
            throw new ArgumentException("the snapshot was created for another layout", nameof(snapshot));
        }

        var sequence = (ulong*)(_base + SegmentFormat.CommitSequenceOffset);
        var data = _base + Layout.DataOffset;
        var target = snapshot.Buffer;
        var spinner = default(SpinWait);
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var change = ReadUInt64(SegmentFormat.ChangeSequenceOffset);
            var epoch = ReadUInt64(SegmentFormat.EpochOffset);
            var before = Volatile.Read(ref *sequence);
            if ((before & 1) == 0)
            {
                // The results ring changes only together with its count: when the count and the writer are the
                // ones of the last good copy, the ring already in the snapshot is current and is not copied again.
                var published = *(ulong*)(data + SegmentFormat.ResultsWrittenOffset);
                var ringCurrent = snapshot.HasResults && published == snapshot.ResultsCopied && epoch == snapshot.Epoch;
                if (ringCurrent)
                {
                    new ReadOnlySpan<byte>(data, SegmentFormat.ResultsEntriesOffset).CopyTo(target);
                    new ReadOnlySpan<byte>(data + Layout.ValuesOffset, Layout.DataSize - Layout.ValuesOffset).CopyTo(target.AsSpan(Layout.ValuesOffset));
                }
                else
                {
                    new ReadOnlySpan<byte>(data, Layout.DataSize).CopyTo(target);
                }

                // The copy's loads must complete before the sequence is read again.
                Volatile.ReadBarrier();
                if (Volatile.Read(ref *sequence) == before)
                {
                    snapshot.CommitSequence = before;
                    snapshot.ChangeSequence = change;
                    snapshot.Epoch = Epoch = epoch;
                    snapshot.Attempts = attempt;
                    snapshot.ResultsCopied = published;
                    snapshot.HasResults = true;
                    return true;
                }

                snapshot.HasResults = false;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return false;
    }

    /// <summary>
    /// Reads one tag under its slot's own seqlock (the version word, SCHEMA.md §3.2), without touching the header
    /// or copying the rest of the data area: the cheap path for a consumer that follows a few tags (a heartbeat, a
    /// request flag) at high rate. <paramref name="value"/> receives the tag's value bytes (all elements, SCHEMA.md
    /// encoding; at least <see cref="TagSlot.ValueSize"/> bytes); <paramref name="sample"/> carries quality, source
    /// timestamp and the slot version, all from the same commit as the value. False after
    /// <paramref name="maxAttempts"/> collisions, as <see cref="TryReadSnapshot"/>.
    /// </summary>
    public bool TryReadTag(int tag, Span<byte> value, out TagSample sample, int maxAttempts = DefaultMaxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)tag, (uint)Layout.TagCount, nameof(tag));
        var slot = Layout.Slot(tag);
        if (value.Length < slot.ValueSize)
        {
            throw new ArgumentException($"tag {tag} needs {slot.ValueSize} value bytes, the buffer has {value.Length}", nameof(value));
        }

        var slotBase = _base + Layout.DataOffset + slot.SlotOffset;
        var version = (uint*)(slotBase + TagSlot.VersionOffset);
        var header = new ReadOnlySpan<byte>(slotBase, TagSlot.HeaderSize);
        var source = new ReadOnlySpan<byte>(slotBase + TagSlot.HeaderSize, slot.ValueSize);
        var spinner = default(SpinWait);
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var before = Volatile.Read(ref *version);
            if ((before & 1) == 0)
            {
                var quality = BinaryPrimitives.ReadUInt32LittleEndian(header);
                var timestamp = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
                source.CopyTo(value);
                // The copy's loads must complete before the version is read again.
                Volatile.ReadBarrier();
                if (Volatile.Read(ref *version) == before)
                {
                    sample = new TagSample(quality, timestamp, before);
                    return true;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        sample = default;
        return false;
    }

    /// <summary>
    /// The slot version of <paramref name="tag"/> (acquire load): it moves whenever a commit writes the tag, so a
    /// busy reader that follows one tag spins on this word, on the tag's own cache line, and calls
    /// <see cref="TryReadTag"/> when it differs from <see cref="TagSample.Version"/>. Odd while a commit copies it.
    /// </summary>
    public uint TagVersion(int tag)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)tag, (uint)Layout.TagCount, nameof(tag));
        return Volatile.Read(ref *(uint*)(_base + Layout.DataOffset + Layout.Slot(tag).SlotOffset + TagSlot.VersionOffset));
    }

    /// <summary>True once this reader counts itself in the segment's waiters file (so every commit wakes it).</summary>
    public bool IsCountedWaiter => _waiters is not null;

    /// <summary>
    /// Sleeps on the header's futex word until the change sequence moves past <paramref name="lastChangeSequence"/>
    /// or <paramref name="timeout"/> passes. Returns true when something changed. While asleep the reader is counted
    /// in the waiters file (see SCHEMA.md), which is what makes the writer issue FUTEX_WAKE; a reader that cannot
    /// open that file still works, re-checking every <see cref="UncountedWaitSlice"/>.
    /// </summary>
    public bool WaitForChange(ulong lastChangeSequence, TimeSpan timeout)
    {
        if (ChangeSequence != lastChangeSequence)
        {
            return true;
        }

        var waiters = _waiters ?? TryOpenWaiters();
        var word = (uint*)(_base + SegmentFormat.FutexWordOffset);
        var start = Stopwatch.GetTimestamp();
        waiters?.Enter();
        try
        {
            // Woken without a change (a heartbeat wake, another segment's noise): sleep again for the rest.
            while (true)
            {
                // Re-checked after Enter's full fence: a commit that read the count as zero is seen here.
                if (ChangeSequence != lastChangeSequence)
                {
                    return true;
                }

                var remaining = timeout - Stopwatch.GetElapsedTime(start);
                if (remaining <= TimeSpan.Zero)
                {
                    return false;
                }

                if (waiters is null && remaining > UncountedWaitSlice)
                {
                    remaining = UncountedWaitSlice;
                }

                Futex.Wait(word, (uint)lastChangeSequence, remaining);
            }
        }
        finally
        {
            waiters?.Exit();
        }
    }

    public WriterInfo ReadWriterInfo() => new(
        Volatile.Read(ref *(int*)(_base + SegmentFormat.WriterPidOffset)),
        ReadUInt64(SegmentFormat.WriterStartTicksOffset),
        ReadUInt64(SegmentFormat.EpochOffset),
        State,
        (long)ReadUInt64(SegmentFormat.HeartbeatMonotonicNsOffset),
        (long)ReadUInt64(SegmentFormat.HeartbeatUnixNsOffset),
        Volatile.Read(ref *(uint*)(_base + SegmentFormat.HeartbeatIntervalMsOffset)),
        (long)ReadUInt64(SegmentFormat.WriterStartedUnixNsOffset),
        ReadUInt64(SegmentFormat.ChangeSequenceOffset),
        ReadUInt64(SegmentFormat.CommitSequenceOffset),
        ReadUInt64(SegmentFormat.RepairCountOffset),
        (long)ReadUInt64(SegmentFormat.LastCommitUnixNsOffset));

    /// <summary>
    /// Judges the writer: superseded (state or a different file at the path), stopped, gone (lease free, pid dead
    /// or reused), hung (no heartbeat for <paramref name="hungAfter"/>, default 3 heartbeat intervals), or alive.
    /// Costs a few system calls; call it on wait timeouts, not per snapshot.
    /// </summary>
    public WriterLiveness CheckLiveness(TimeSpan? hungAfter = null)
    {
        var info = ReadWriterInfo();
        if (info.State == SegmentState.Superseded || SegmentHeaderProbe.TryReadEpoch(Path) != info.Epoch)
        {
            return WriterLiveness.Superseded;
        }

        if (info.State == SegmentState.Stopped)
        {
            return WriterLiveness.Stopped;
        }

        if (FileLease.Probe(SegmentNames.LockPath(Path)) == LeaseState.Free || !ProcessLiveness.IsAlive(info.Pid, info.StartTicks))
        {
            // The lease is taken before the header is updated: re-read in case a new writer just started.
            var now = ReadWriterInfo();
            return now.Epoch != info.Epoch && now.State == SegmentState.Live ? WriterLiveness.Alive : WriterLiveness.Gone;
        }

        var limit = hungAfter ?? TimeSpan.FromMilliseconds(Math.Max(1000, 3.0 * info.HeartbeatIntervalMs));
        return info.HeartbeatAge > limit ? WriterLiveness.Hung : WriterLiveness.Alive;
    }

    /// <summary>True when the path now holds another file (new layout) or this one was marked superseded.</summary>
    public bool NeedsReattach() =>
        State == SegmentState.Superseded || SegmentHeaderProbe.TryReadEpoch(Path) != ReadUInt64(SegmentFormat.EpochOffset);

    /// <summary>The read-only mapping, for tests that prove the OS rejects writes through it.</summary>
    internal byte* MappedBase => _base;

    public void Dispose()
    {
        _mapping.Dispose();
        _waiters?.Dispose();
        _waiters = null;
    }

    /// <summary>Maps the waiters file read-write; on failure retries at most once a second (the writer may create it).</summary>
    private WaiterCount? TryOpenWaiters()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextWaitersAttempt)
        {
            return null;
        }

        _waiters = WaiterCount.TryOpen(Path, out var errno);
        if (_waiters is null)
        {
            _nextWaitersAttempt = now + WaitersRetryTicks;
            Debug.WriteLine($"{SegmentNames.WaitersPath(Path)}: cannot register as a waiter (errno {errno}); re-checking every {UncountedWaitSlice.TotalMilliseconds} ms");
        }

        return _waiters;
    }

    private ulong ReadUInt64(int offset) => Volatile.Read(ref *(ulong*)(_base + offset));
}
