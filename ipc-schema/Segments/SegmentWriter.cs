using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EdgePartition.Native;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Ipc;

/// <summary>
/// The one writer of a segment. Values are staged in private memory by tag index and published by
/// <see cref="Commit"/> in one short seqlock section, so readers always see whole poll cycles and never block it.
/// Not thread-safe: one thread owns a writer.
/// </summary>
public sealed unsafe class SegmentWriter : IDisposable
{
    /// <summary>
    /// <see cref="Heartbeat"/> wakes the futex at most this often even with no registered waiter, so readers that
    /// could not register (or foreign ones that do not know the waiters file) still learn of changes.
    /// </summary>
    internal const long UnconditionalWakeIntervalNs = 100_000_000;

    private readonly FileLease _lease;
    private readonly SharedMapping _mapping;
    private readonly byte[] _staging;
    private readonly byte[] _publishedStatus = new byte[SegmentFormat.StatusSize];
    private readonly ILogger? _logger;
    private readonly WaiterCount? _waiters;
    private readonly byte* _base;
    private readonly byte* _stagingBase;
    private readonly int[] _versionOffsets;
    private readonly int[] _dirtyTags;
    private readonly uint[] _dirtyInCommit;
    private uint _commitGeneration = 1;
    private int _dirtyTagCount;
    private long _lastUnconditionalWakeNs;
    private int _dirtyLow;
    private int _dirtyHigh;
    private ulong _resultsWritten;
    private bool _disposed;

    private SegmentWriter(string path, SegmentLayout layout, FileLease lease, SharedMapping mapping, WaiterCount? waiters, ILogger? logger)
    {
        Path = path;
        Layout = layout;
        _lease = lease;
        _mapping = mapping;
        _waiters = waiters;
        _logger = logger;
        _base = mapping.Pointer;
        _staging = GC.AllocateArray<byte>(layout.DataSize, pinned: true);
        _stagingBase = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_staging));
        _versionOffsets = new int[layout.TagCount];
        for (var i = 0; i < layout.TagCount; i++)
        {
            _versionOffsets[i] = layout.Slot(i).SlotOffset + TagSlot.VersionOffset;
        }

        _dirtyTags = new int[layout.TagCount];
        _dirtyInCommit = new uint[layout.TagCount];
        new ReadOnlySpan<byte>(_base + layout.DataOffset, layout.DataSize).CopyTo(_staging);
        _resultsWritten = BinaryPrimitives.ReadUInt64LittleEndian(_staging.AsSpan(SegmentFormat.ResultsWrittenOffset));
        _staging.AsSpan(0, SegmentFormat.StatusSize).CopyTo(_publishedStatus);
        ResetDirty();
    }

    public string Path { get; }

    public SegmentLayout Layout { get; }

    /// <summary>Random id of this writer incarnation; readers see it change when a writer restarts.</summary>
    public ulong Epoch { get; private set; }

    /// <summary>True when the previous writer died inside a commit and this writer repaired the segment.</summary>
    public bool RepairedTornCommit { get; private set; }

    /// <summary>The staged status block, published with the next <see cref="Commit"/>.</summary>
    public ref WriterStatus Status => ref MemoryMarshal.AsRef<WriterStatus>(_staging.AsSpan(0, SegmentFormat.StatusSize));

    /// <summary>
    /// Replaces the staged status block with a copy, for async code that cannot hold the <see cref="Status"/>
    /// reference across an await.
    /// </summary>
    public void SetStatus(in WriterStatus status) => Status = status;

    /// <summary>A copy of the staged status block (see <see cref="SetStatus"/>).</summary>
    public WriterStatus GetStatus() => Status;

    /// <summary>Number of commits so far (the seqlock sequence / 2).</summary>
    public ulong CommitCount => Volatile.Read(ref *(ulong*)(_base + SegmentFormat.CommitSequenceOffset)) / 2;

    /// <summary>FUTEX_WAKE system calls issued so far (commits with no registered waiter issue none).</summary>
    internal ulong WakesIssued { get; private set; }

    /// <summary>
    /// Takes the writer lease of `&lt;directory&gt;/edgepart.&lt;partition&gt;.&lt;name&gt;` and creates or repairs the segment.
    /// Same layout: values are kept, a torn commit is repaired, a new epoch starts. Different layout (or a bad
    /// file): a new file is renamed over the old one, whose header is marked superseded.
    /// </summary>
    /// <exception cref="SegmentLeaseException">Another live writer holds the lease.</exception>
    public static SegmentWriter Create(string directory, string partition, string name, SegmentLayout layout, ILogger? logger = null, SegmentWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        options ??= new SegmentWriterOptions();
        var path = SegmentNames.SegmentPath(directory, partition, name);
        Directory.CreateDirectory(directory);
        var lease = FileLease.TryAcquire(SegmentNames.LockPath(path), options.LeasePatience)
            ?? throw new SegmentLeaseException(path, SegmentHeaderProbe.TryReadWriterPid(path));
        // Created before the segment is (re)published, so every reader that finds the segment finds this file too.
        var waiters = WaiterCount.TryCreate(path, out var waitersErrno);
        if (waiters is null && logger is not null)
        {
            IpcLog.WaitersFileUnavailable(logger, SegmentNames.WaitersPath(path), waitersErrno);
        }

        try
        {
            var mapping = TryReuse(path, layout, out var previousPid, out var tornSequence)
                ?? CreateAndReplace(path, layout);
            var writer = new SegmentWriter(path, layout, lease, mapping, waiters, logger);
            writer.StartIncarnation(options, previousPid, tornSequence);
            return writer;
        }
        catch
        {
            waiters?.Dispose();
            lease.Dispose();
            throw;
        }
    }

    public void SetBool(int tag, bool value) => SetBool(tag, 0, value);

    public void SetBool(int tag, int element, bool value) => Set(tag, element, IpcDataType.Bool, value ? (byte)1 : (byte)0);

    public void SetInt8(int tag, sbyte value) => Set(tag, 0, IpcDataType.Int8, value);

    public void SetInt8(int tag, int element, sbyte value) => Set(tag, element, IpcDataType.Int8, value);

    public void SetUInt8(int tag, byte value) => Set(tag, 0, IpcDataType.UInt8, value);

    public void SetUInt8(int tag, int element, byte value) => Set(tag, element, IpcDataType.UInt8, value);

    public void SetInt16(int tag, short value) => Set(tag, 0, IpcDataType.Int16, value);

    public void SetInt16(int tag, int element, short value) => Set(tag, element, IpcDataType.Int16, value);

    public void SetUInt16(int tag, ushort value) => Set(tag, 0, IpcDataType.UInt16, value);

    public void SetUInt16(int tag, int element, ushort value) => Set(tag, element, IpcDataType.UInt16, value);

    public void SetInt32(int tag, int value) => Set(tag, 0, IpcDataType.Int32, value);

    public void SetInt32(int tag, int element, int value) => Set(tag, element, IpcDataType.Int32, value);

    public void SetUInt32(int tag, uint value) => Set(tag, 0, IpcDataType.UInt32, value);

    public void SetUInt32(int tag, int element, uint value) => Set(tag, element, IpcDataType.UInt32, value);

    public void SetInt64(int tag, long value) => Set(tag, 0, IpcDataType.Int64, value);

    public void SetInt64(int tag, int element, long value) => Set(tag, element, IpcDataType.Int64, value);

    public void SetUInt64(int tag, ulong value) => Set(tag, 0, IpcDataType.UInt64, value);

    public void SetUInt64(int tag, int element, ulong value) => Set(tag, element, IpcDataType.UInt64, value);

    public void SetFloat32(int tag, float value) => Set(tag, 0, IpcDataType.Float32, value);

    public void SetFloat32(int tag, int element, float value) => Set(tag, element, IpcDataType.Float32, value);

    public void SetFloat64(int tag, double value) => Set(tag, 0, IpcDataType.Float64, value);

    public void SetFloat64(int tag, int element, double value) => Set(tag, element, IpcDataType.Float64, value);

    /// <summary>Date/time as ns since the Unix epoch (UTC).</summary>
    public void SetDateTime(int tag, long unixNs) => Set(tag, 0, IpcDataType.DateTime, unixNs);

    public void SetDateTime(int tag, int element, long unixNs) => Set(tag, element, IpcDataType.DateTime, unixNs);

    public void SetDateTime(int tag, DateTime utc) => Set(tag, 0, IpcDataType.DateTime, UnixTime.ToNs(utc));

    public void SetDuration(int tag, long nanoseconds) => Set(tag, 0, IpcDataType.Duration, nanoseconds);

    public void SetDuration(int tag, int element, long nanoseconds) => Set(tag, element, IpcDataType.Duration, nanoseconds);

    public void SetDuration(int tag, TimeSpan value) => Set(tag, 0, IpcDataType.Duration, Nanoseconds.From(value));

    /// <summary>UTF-8 encodes <paramref name="text"/>, cut at a character boundary to the tag's max length.</summary>
    public void SetString(int tag, ReadOnlySpan<char> text) => SetString(tag, 0, text);

    public void SetString(int tag, int element, ReadOnlySpan<char> text)
    {
        TagValueCodec.WriteString(_staging, Layout, tag, element, text);
        MarkDirty(tag);
    }

    /// <summary>Already-encoded UTF-8; longer than the max length throws.</summary>
    public void SetStringUtf8(int tag, int element, ReadOnlySpan<byte> utf8)
    {
        TagValueCodec.WriteVariable(_staging, Layout, tag, element, IpcDataType.String, utf8);
        MarkDirty(tag);
    }

    public void SetBytes(int tag, ReadOnlySpan<byte> value) => SetBytes(tag, 0, value);

    public void SetBytes(int tag, int element, ReadOnlySpan<byte> value)
    {
        TagValueCodec.WriteVariable(_staging, Layout, tag, element, IpcDataType.Bytes, value);
        MarkDirty(tag);
    }

    /// <summary>
    /// The staged value storage of a tag (all elements, in the SCHEMA.md encoding), for bulk or raw updates;
    /// the tag is marked changed. Do not keep the span across commits.
    /// </summary>
    public Span<byte> GetValueSpan(int tag)
    {
        var slot = Layout.Slot(tag);
        MarkDirty(tag);
        return _staging.AsSpan(slot.ValueOffset, slot.ValueSize);
    }

    /// <summary>Copies raw bytes into the tag's value storage at <paramref name="byteOffset"/>.</summary>
    public void SetRaw(int tag, int byteOffset, ReadOnlySpan<byte> bytes) => bytes.CopyTo(GetValueSpan(tag)[byteOffset..]);

    public void SetQuality(int tag, uint quality)
    {
        TagValueCodec.SetQuality(_staging, Layout.Slot(tag), quality);
        MarkDirty(tag);
    }

    public void SetSourceTimestamp(int tag, long unixNs)
    {
        TagValueCodec.SetSourceTimestamp(_staging, Layout.Slot(tag), unixNs);
        MarkDirty(tag);
    }

    /// <summary>Quality and source timestamp in one call (the usual per-read update).</summary>
    public void SetSample(int tag, uint quality, long sourceUnixNs)
    {
        var slot = Layout.Slot(tag);
        TagValueCodec.SetQuality(_staging, slot, quality);
        TagValueCodec.SetSourceTimestamp(_staging, slot, sourceUnixNs);
        MarkDirty(tag);
    }

    /// <summary>Sets the quality of every tag, e.g. BadNotConnected when the device connection drops.</summary>
    public void SetAllQualities(uint quality)
    {
        for (var i = 0; i < Layout.TagCount; i++)
        {
            TagValueCodec.SetQuality(_staging, Layout.Slot(i), quality);
            MarkDirty(i);
        }
    }

    public uint GetStagedQuality(int tag) => TagValueCodec.GetQuality(_staging, Layout.Slot(tag));

    /// <summary>Read-only view of the whole staged data area (status, results, slots).</summary>
    public ReadOnlySpan<byte> StagedData => _staging;

    /// <summary>Appends a write result to the results ring; readers see it after the next <see cref="Commit"/>.</summary>
    public void PublishWriteResult(in WriteResult result)
    {
        var index = (int)(_resultsWritten % (ulong)Layout.ResultsCapacity);
        var offset = SegmentFormat.ResultsEntriesOffset + (index * SegmentFormat.ResultEntrySize);
        var entry = _staging.AsSpan(offset, SegmentFormat.ResultEntrySize);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[SegmentFormat.ResultRequestIdOffset..], result.RequestId);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[SegmentFormat.ResultStatusOffset..], result.StatusCode);
        BinaryPrimitives.WriteInt32LittleEndian(entry[SegmentFormat.ResultTagIndexOffset..], result.TagIndex);
        BinaryPrimitives.WriteInt64LittleEndian(entry[SegmentFormat.ResultEnqueuedOffset..], result.EnqueuedUnixNs);
        BinaryPrimitives.WriteInt64LittleEndian(entry[SegmentFormat.ResultStartedOffset..], result.StartedUnixNs);
        BinaryPrimitives.WriteInt64LittleEndian(entry[SegmentFormat.ResultDoneOffset..], result.DoneUnixNs);
        WriterStatus.WriteText(entry.Slice(SegmentFormat.ResultErrorOffset, SegmentFormat.ResultErrorSize), result.Error);
        _resultsWritten++;
        BinaryPrimitives.WriteUInt64LittleEndian(_staging.AsSpan(SegmentFormat.ResultsWrittenOffset), _resultsWritten);
        MarkRange(SegmentFormat.ResultsHeaderOffset, SegmentFormat.ResultsHeaderOffset + 8);
        MarkRange(offset, offset + SegmentFormat.ResultEntrySize);
    }

    /// <summary>
    /// Publishes the staged cycle: sequence odd, changed slots' versions odd, copy status and changed bytes, versions
    /// and sequence even (release), then bump the change sequence and FUTEX_WAKE the waiting readers if any
    /// registered. No allocation, no lock, and no system call at all when nobody waits.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sequence = (ulong*)(_base + SegmentFormat.CommitSequenceOffset);
        var start = *sequence;
        Volatile.Write(ref *sequence, start + 1);
        SetDirtyVersions((uint)(start + 1), publish: false);
        // The odd sequence and versions must be visible before any data store (release alone only orders earlier
        // accesses).
        Volatile.WriteBarrier();
        var data = new Span<byte>(_base + Layout.DataOffset, Layout.DataSize);
        var status = _staging.AsSpan(0, SegmentFormat.StatusSize);
        if (!status.SequenceEqual(_publishedStatus))
        {
            // Only a changed status block is copied: untouched lines stay cached in the readers' cores.
            status.CopyTo(data);
            status.CopyTo(_publishedStatus);
        }

        if (_dirtyHigh > _dirtyLow)
        {
            _staging.AsSpan(_dirtyLow, _dirtyHigh - _dirtyLow).CopyTo(data[_dirtyLow..]);
        }

        SetDirtyVersions((uint)(start + 2), publish: true);
        Volatile.Write(ref *sequence, start + 2);
        ResetDirty();
        SignalChange(force: false);
        // Informational times go after the wake-up so the clock reads stay off the readers' critical path
        // (measured: reading the clocks first and storing the times inside the section was slower).
        WriteInt64(SegmentFormat.LastCommitUnixNsOffset, UnixTime.NowNs());
        WriteInt64(SegmentFormat.LastCommitMonotonicNsOffset, MonotonicClock.NowNanoseconds);
    }

    /// <summary>
    /// Test hook: leaves the segment as a writer killed inside <see cref="Commit"/> would, sequence odd and the
    /// staged values half copied. The caller then kills its own process.
    /// </summary>
    internal void BeginCommitAndAbandon()
    {
        var sequence = (ulong*)(_base + SegmentFormat.CommitSequenceOffset);
        var odd = *sequence + 1;
        Volatile.Write(ref *sequence, odd);
        SetDirtyVersions((uint)odd, publish: false);
        Volatile.WriteBarrier();
        var half = Layout.DataSize / 2;
        _staging.AsSpan(0, half).CopyTo(new Span<byte>(_base + Layout.DataOffset, half));
    }

    /// <summary>Proves the writer is alive; call at least every <see cref="SegmentWriterOptions.HeartbeatInterval"/>.</summary>
    public void Heartbeat()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = MonotonicClock.NowNanoseconds;
        WriteInt64(SegmentFormat.HeartbeatMonotonicNsOffset, now);
        WriteInt64(SegmentFormat.HeartbeatUnixNsOffset, UnixTime.NowNs());
        if (now - _lastUnconditionalWakeNs >= UnconditionalWakeIntervalNs)
        {
            // The safety net for waiters that are not counted: they wait at most this long after a change.
            _lastUnconditionalWakeNs = now;
            Wake();
        }
    }

    /// <summary>Publishes state Stopped, wakes readers and releases the lease. The file stays for readers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Status.SetState(ConnectionState.Stopped, UnixTime.NowNs());
        Commit();
        Volatile.Write(ref *(uint*)(_base + SegmentFormat.StateOffset), (uint)SegmentState.Stopped);
        SignalChange(force: true);
        _disposed = true;
        _mapping.Dispose();
        _waiters?.Dispose();
        _lease.Dispose();
        if (_logger is not null)
        {
            IpcLog.SegmentStopped(_logger, Path);
        }
    }

    private void Set<T>(int tag, int element, IpcDataType type, T value)
        where T : unmanaged
    {
        TagValueCodec.Write(_staging, Layout, tag, element, type, value);
        MarkDirty(tag);
    }

    private void MarkDirty(int tag)
    {
        // A tag is listed once per commit: its mark is the generation of the commit being staged.
        if (_dirtyInCommit[tag] != _commitGeneration)
        {
            _dirtyInCommit[tag] = _commitGeneration;
            _dirtyTags[_dirtyTagCount++] = tag;
        }

        var slot = Layout.Slot(tag);
        MarkRange(slot.SlotOffset, slot.ValueOffset + slot.ValueSize);
    }

    /// <summary>
    /// Stamps every changed slot with <paramref name="version"/>, in staging (so the bulk copy carries the same word)
    /// and in the segment. Odd before the values are copied; even after, with release stores that order the copy
    /// before each slot's final version.
    /// </summary>
    private void SetDirtyVersions(uint version, bool publish)
    {
        // Pointers, not spans: this runs twice per changed tag per commit, on the writer's hot path.
        var data = _base + Layout.DataOffset;
        var staging = _stagingBase;
        var offsets = _versionOffsets;
        var dirty = _dirtyTags;
        for (var i = 0; i < _dirtyTagCount; i++)
        {
            var offset = offsets[dirty[i]];
            *(uint*)(staging + offset) = version;
            if (publish)
            {
                Volatile.Write(ref *(uint*)(data + offset), version);
            }
            else
            {
                *(uint*)(data + offset) = version;
            }
        }
    }

    private void MarkRange(int low, int high)
    {
        if (low < _dirtyLow)
        {
            _dirtyLow = low;
        }

        if (high > _dirtyHigh)
        {
            _dirtyHigh = high;
        }
    }

    private void ResetDirty()
    {
        _dirtyLow = int.MaxValue;
        _dirtyHigh = 0;
        _dirtyTagCount = 0;
        if (++_commitGeneration == 0)
        {
            // After 2^32 commits the marks could collide with a new generation: start over from clean marks.
            Array.Clear(_dirtyInCommit);
            _commitGeneration = 1;
        }
    }

    /// <summary>
    /// Bumps the change sequence and futex word, then wakes only if a reader is registered (or
    /// <paramref name="force"/>, or there is no waiters file). This is Dekker's pattern: the writer stores the word,
    /// fences, loads the count; a reader increments the count (a full fence), then FUTEX_WAIT compares the word in
    /// the kernel. With both store-then-load pairs fenced, at least one side sees the other's store: either the
    /// writer sees a non-zero count and wakes, or the reader's FUTEX_WAIT finds the new word and returns at once.
    /// A missed wake-up would need both loads to see old values, which the two full fences forbid.
    /// </summary>
    private void SignalChange(bool force)
    {
        var change = (ulong*)(_base + SegmentFormat.ChangeSequenceOffset);
        var next = *change + 1;
        Volatile.Write(ref *change, next);
        Volatile.Write(ref *(uint*)(_base + SegmentFormat.FutexWordOffset), (uint)next);
        // Release stores may be reordered after the following load of the count (store-load); forbid it.
        Interlocked.MemoryBarrier();
        if (force || _waiters is null || _waiters.Read() != 0)
        {
            Wake();
        }
    }

    private void Wake()
    {
        Futex.WakeAll((uint*)(_base + SegmentFormat.FutexWordOffset));
        WakesIssued++;
    }

    private void WriteInt64(int offset, long value) => Volatile.Write(ref *(long*)(_base + offset), value);

    private void StartIncarnation(SegmentWriterOptions options, int previousPid, ulong tornSequence)
    {
        Epoch = NewEpoch();
        WriteInt64(SegmentFormat.EpochOffset, (long)Epoch);
        Volatile.Write(ref *(int*)(_base + SegmentFormat.WriterPidOffset), Environment.ProcessId);
        Volatile.Write(ref *(ulong*)(_base + SegmentFormat.WriterStartTicksOffset), ProcessLiveness.CurrentProcessStartTicks);
        Volatile.Write(ref *(uint*)(_base + SegmentFormat.HeartbeatIntervalMsOffset), (uint)options.HeartbeatInterval.TotalMilliseconds);
        WriteInt64(SegmentFormat.WriterStartedUnixNsOffset, UnixTime.NowNs());
        Heartbeat();
        Status.SetState(ConnectionState.Idle, UnixTime.NowNs());
        Volatile.Write(ref *(uint*)(_base + SegmentFormat.StateOffset), (uint)SegmentState.Live);
        SignalChange(force: true);
        RepairedTornCommit = tornSequence != 0;
        if (_logger is null)
        {
            return;
        }

        if (RepairedTornCommit)
        {
            IpcLog.SegmentRepaired(_logger, Path, previousPid, tornSequence);
        }

        if (previousPid != 0)
        {
            IpcLog.SegmentReattached(_logger, Path, Epoch, previousPid);
        }
        else
        {
            IpcLog.SegmentCreated(_logger, Path, Layout.TagCount, Layout.SegmentSize, Epoch);
        }
    }

    /// <summary>
    /// Maps an existing file with the same layout and repairs a torn commit: the dead writer left the sequence odd
    /// and some slots half-written, so every tag is marked Bad (values kept), stamped with the repaired even
    /// sequence as its version, and the sequence made even again.
    /// Returns null when the file is missing or has another layout.
    /// </summary>
    private static SharedMapping? TryReuse(string path, SegmentLayout layout, out int previousPid, out ulong tornSequence)
    {
        previousPid = 0;
        tornSequence = 0;
        if (!SafeFdHandle.TryOpen(path, Interop.Libc.O_RDWR, 0, out var fd, out _))
        {
            return null;
        }

        using (fd)
        {
            if (fd.Length(path) != layout.SegmentSize)
            {
                return null;
            }

            var mapping = SharedMapping.Map(fd, layout.SegmentSize, writable: true, path);
            var header = mapping.Span;
            if (!SegmentHeaderProbe.MatchesLayout(header, layout))
            {
                mapping.Dispose();
                return null;
            }

            previousPid = BinaryPrimitives.ReadInt32LittleEndian(header[SegmentFormat.WriterPidOffset..]);
            var sequence = (ulong*)(mapping.Pointer + SegmentFormat.CommitSequenceOffset);
            var value = Volatile.Read(ref *sequence);
            if ((value & 1) != 0)
            {
                tornSequence = value;
                var data = new Span<byte>(mapping.Pointer + layout.DataOffset, layout.DataSize);
                for (var i = 0; i < layout.TagCount; i++)
                {
                    TagValueCodec.SetQuality(data, layout.Slot(i), IpcQuality.BadWaitingForInitialData);
                    TagValueCodec.SetVersion(data, layout.Slot(i), (uint)(value + 1));
                }

                var repairs = (ulong*)(mapping.Pointer + SegmentFormat.RepairCountOffset);
                Volatile.Write(ref *repairs, *repairs + 1);
                Volatile.Write(ref *sequence, value + 1);
            }

            return mapping;
        }
    }

    /// <summary>
    /// Builds the segment in a private temporary file (magic last), renames it over the path, then marks the
    /// replaced file superseded so its readers re-attach. Nothing mapped is ever truncated.
    /// </summary>
    private static SharedMapping CreateAndReplace(string path, SegmentLayout layout)
    {
        FileSpace.RemoveStaleTemporaries(path);
        var temporary = $"{path}.tmp-{Environment.ProcessId}-{Random.Shared.Next():x8}";
        SharedMapping? mapping = null;
        try
        {
            using (var fd = SafeFdHandle.Open(temporary, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT | Interop.Libc.O_EXCL))
            {
                _ = Interop.Libc.Fchmod(fd.Fd, Interop.Libc.FileMode0640);
                FileSpace.Reserve(fd, layout.SegmentSize, temporary, path);

                mapping = SharedMapping.Map(fd, layout.SegmentSize, writable: true, temporary);
            }

            InitializeSegment(mapping.Pointer, layout);
            using var previous = OpenPrevious(path);
            if (Interop.Libc.Rename(temporary, path) != 0)
            {
                IpcSystemException.ThrowLast("rename", temporary);
            }

            if (previous is not null)
            {
                MarkSuperseded(previous);
            }

            return mapping;
        }
        catch
        {
            mapping?.Dispose();
            _ = Interop.Libc.Unlink(temporary);
            throw;
        }
    }

    private static SharedMapping? OpenPrevious(string path)
    {
        if (!SafeFdHandle.TryOpen(path, Interop.Libc.O_RDWR, 0, out var fd, out _))
        {
            return null;
        }

        using (fd)
        {
            var length = fd.Length(path);
            if (length < SegmentFormat.HeaderSize)
            {
                return null;
            }

            var mapping = SharedMapping.Map(fd, SegmentFormat.HeaderSize, writable: true, path);
            if (BinaryPrimitives.ReadUInt64LittleEndian(mapping.Span) != SegmentFormat.Magic)
            {
                mapping.Dispose();
                return null;
            }

            return mapping;
        }
    }

    private static void MarkSuperseded(SharedMapping previous)
    {
        var b = previous.Pointer;
        Volatile.Write(ref *(uint*)(b + SegmentFormat.StateOffset), (uint)SegmentState.Superseded);
        if (*(ushort*)(b + SegmentFormat.LayoutMajorOffset) != SegmentFormat.LayoutMajor)
        {
            // An older layout keeps its change word elsewhere; its readers see the state (same offset in every
            // version) and the new epoch at the path on their next liveness check.
            return;
        }

        var change = (ulong*)(b + SegmentFormat.ChangeSequenceOffset);
        var next = *change + 1;
        Volatile.Write(ref *change, next);
        Volatile.Write(ref *(uint*)(b + SegmentFormat.FutexWordOffset), (uint)next);
        Futex.WakeAll((uint*)(b + SegmentFormat.FutexWordOffset));
    }

    private static void InitializeSegment(byte* b, SegmentLayout layout)
    {
        var header = new Span<byte>(b, SegmentFormat.HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[SegmentFormat.LayoutMajorOffset..], SegmentFormat.LayoutMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(header[SegmentFormat.LayoutMinorOffset..], SegmentFormat.LayoutMinor);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SegmentFormat.HeaderSizeOffset..], SegmentFormat.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[SegmentFormat.SchemaHashOffset..], layout.SchemaHash);
        BinaryPrimitives.WriteUInt64LittleEndian(header[SegmentFormat.SegmentSizeOffset..], (ulong)layout.SegmentSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SegmentFormat.TagCountOffset..], (uint)layout.TagCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SegmentFormat.TagEntrySizeOffset..], SegmentFormat.TagEntrySize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[SegmentFormat.TagTableOffsetOffset..], (ulong)layout.TagTableOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[SegmentFormat.DataOffsetOffset..], (ulong)layout.DataOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SegmentFormat.DataSizeOffset..], (uint)layout.DataSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[SegmentFormat.ResultsCapacityOffset..], (uint)layout.ResultsCapacity);
        layout.EncodedTagTable.CopyTo(new Span<byte>(b + layout.TagTableOffset, layout.EncodedTagTable.Length));
        var data = new Span<byte>(b + layout.DataOffset, layout.DataSize);
        for (var i = 0; i < layout.TagCount; i++)
        {
            TagValueCodec.SetQuality(data, layout.Slot(i), IpcQuality.BadWaitingForInitialData);
        }

        // Everything above must be visible before the magic that publishes it.
        Volatile.Write(ref *(ulong*)b, SegmentFormat.Magic);
    }

    private static ulong NewEpoch()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong epoch;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            epoch = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }
        while (epoch == 0);
        return epoch;
    }
}
