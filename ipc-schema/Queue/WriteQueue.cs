using System.Buffers.Binary;
using System.Diagnostics;
using EdgePartition.Native;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Ipc;

/// <summary>
/// A device's bounded multi-producer write-request queue: the file `edgepart.&lt;partition&gt;.&lt;device&gt;.writes`,
/// guarded by a lock word in the file itself whose value is its owner (pid and process start time, set by one
/// compare-and-swap, so there is no moment where the lock is held by nobody on record; a dead owner is taken over by
/// the next waiter and by the collector at start-up) and woken through `/edgepart.&lt;partition&gt;.&lt;device&gt;.writes.ready`
/// (counting). Sync and operator tools produce; the device's collector consumes and publishes results in its segment.
/// </summary>
public sealed unsafe class WriteQueue : IDisposable
{
    /// <summary>Slice of a lock wait after which the owner is checked for death.</summary>
    private static readonly TimeSpan HolderCheckInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>This process as a lock owner: pid in the low half (what the futex waits on), start time in the high.</summary>
    private static readonly ulong OwnIdentity = QueueLockWord.Identity(Environment.ProcessId, ProcessLiveness.CurrentProcessStartTicks);

    /// <summary>Test hook: called at each step of the lock protocol (tests kill the process there).</summary>
    internal static Action<string>? StepHook { get; set; }

    private readonly SharedMapping _mapping;
    // The mutex semaphore of layout 1.0 is still created (tools of that version look for it) but no longer taken: a
    // semaphore cannot record its holder in the same step as taking it. The lock word is the lock.
    private readonly NamedSemaphore _mutex;
    private readonly NamedSemaphore _ready;
    private readonly ILogger? _logger;
    private readonly byte* _base;

    private WriteQueue(string path, SharedMapping mapping, NamedSemaphore mutex, NamedSemaphore ready, ILogger? logger)
    {
        Path = path;
        _mapping = mapping;
        _mutex = mutex;
        _ready = ready;
        _logger = logger;
        _base = mapping.Pointer;
        Capacity = BinaryPrimitives.ReadInt32LittleEndian(mapping.Span[WriteQueueFormat.CapacityOffset..]);
    }

    public string Path { get; }

    public int Capacity { get; }

    /// <summary>Requests waiting (a racy read, for status).</summary>
    public int Count => (int)(ReadUInt64(WriteQueueFormat.TailOffset) - ReadUInt64(WriteQueueFormat.HeadOffset));

    public ulong EnqueuedTotal => ReadUInt64(WriteQueueFormat.EnqueuedTotalOffset);

    public ulong RefusedFull => ReadUInt64(WriteQueueFormat.RefusedFullOffset);

    public ulong DequeuedTotal => ReadUInt64(WriteQueueFormat.DequeuedTotalOffset);

    /// <summary>How often a dead mutex holder was found and the semaphore repaired.</summary>
    public ulong MutexRepairs => ReadUInt64(WriteQueueFormat.MutexRepairsOffset);

    public static string MutexName(string partition, string device) => SegmentNames.SemaphoreName(partition, device + SegmentNames.WriteQueueSuffix);

    public static string ReadyName(string partition, string device) => MutexName(partition, device) + ".ready";

    /// <summary>
    /// Consumer side (the collector): creates the queue, or re-attaches to a valid one left by a previous run so
    /// pending requests survive a collector restart.
    /// </summary>
    public static WriteQueue Create(string directory, string partition, string device, int capacity = WriteQueueFormat.DefaultCapacity, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 65_536);
        var path = SegmentNames.WriteQueuePath(directory, partition, device);
        Directory.CreateDirectory(directory);
        var mapping = TryMapExisting(path, capacity) ?? CreateFile(path, capacity);
        var mutex = NamedSemaphore.OpenOrCreate(MutexName(partition, device), 1);
        var ready = NamedSemaphore.OpenOrCreate(ReadyName(partition, device), 0);
        var queue = new WriteQueue(path, mapping, mutex, ready, logger);
        Volatile.Write(ref *(int*)(queue._base + WriteQueueFormat.ConsumerPidOffset), Environment.ProcessId);

        // A queue left locked by a process that is gone (a crash, even across a full restart) is freed now, not at the
        // first write.
        queue.TryTakeOverDeadOwner();
        if (logger is not null)
        {
            IpcLog.QueueCreated(logger, path, capacity, WriteQueueFormat.ValueCapacity);
        }

        return queue;
    }

    /// <summary>Producer side (sync, tools): attaches to the queue the collector created.</summary>
    /// <exception cref="FileNotFoundException">The device's collector has not created its queue.</exception>
    public static WriteQueue Open(string directory, string partition, string device, ILogger? logger = null)
    {
        var path = SegmentNames.WriteQueuePath(directory, partition, device);
        using var fd = SafeFdHandle.Open(path, Interop.Libc.O_RDWR);
        var length = fd.Length(path);
        var mapping = SharedMapping.Map(fd, Math.Max(length, 8), writable: true, path);
        try
        {
            Validate(path, mapping.Span, length);
            var mutex = NamedSemaphore.OpenExisting(MutexName(partition, device));
            var ready = NamedSemaphore.OpenExisting(ReadyName(partition, device));
            return new WriteQueue(path, mapping, mutex, ready, logger);
        }
        catch
        {
            mapping.Dispose();
            throw;
        }
    }

    /// <summary>Removes the queue file and its semaphores.</summary>
    public static void Unlink(string directory, string partition, string device)
    {
        try
        {
            File.Delete(SegmentNames.WriteQueuePath(directory, partition, device));
        }
        catch (IOException)
        {
        }

        NamedSemaphore.Unlink(MutexName(partition, device));
        NamedSemaphore.Unlink(ReadyName(partition, device));
    }

    /// <summary>
    /// Enqueues a write of <paramref name="value"/> at <paramref name="byteOffset"/> of tag <paramref name="tagIndex"/>.
    /// Values over 1 KiB are split into consecutive records, all or nothing. Never blocks longer than
    /// <paramref name="timeout"/>; a full queue is refused at once with <see cref="EnqueueStatus.QueueFull"/>.
    /// </summary>
    public EnqueueResult TryEnqueue(int tagIndex, int byteOffset, ReadOnlySpan<byte> value, string origin, TimeSpan timeout, long deadlineUnixNs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tagIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(byteOffset);
        var records = Math.Max(1, (value.Length + WriteQueueFormat.ValueCapacity - 1) / WriteQueueFormat.ValueCapacity);
        if (records > Capacity)
        {
            return new EnqueueResult(EnqueueStatus.QueueFull, 0, 0, $"{Path}: a {value.Length}-byte value needs {records} records; the queue holds {Capacity}");
        }

        if (!AcquireMutex(timeout))
        {
            return new EnqueueResult(EnqueueStatus.Timeout, 0, 0, $"{Path}: queue lock not obtained within {timeout.TotalMilliseconds:0} ms");
        }

        ulong firstId;
        try
        {
            var head = ReadUInt64(WriteQueueFormat.HeadOffset);
            var tail = ReadUInt64(WriteQueueFormat.TailOffset);
            var free = Capacity - (int)(tail - head);
            if (free < records)
            {
                Increment(WriteQueueFormat.RefusedFullOffset);
                if (_logger is not null)
                {
                    IpcLog.QueueFull(_logger, Path, Capacity, tagIndex, origin);
                }

                return new EnqueueResult(EnqueueStatus.QueueFull, 0, 0, $"{Path}: write queue full ({Capacity - free} of {Capacity} requests pending; the collector is not keeping up or not running)");
            }

            firstId = ReadUInt64(WriteQueueFormat.NextRequestIdOffset);
            var now = UnixTime.NowNs();
            for (var i = 0; i < records; i++)
            {
                var chunk = value.Slice(i * WriteQueueFormat.ValueCapacity, Math.Min(WriteQueueFormat.ValueCapacity, value.Length - (i * WriteQueueFormat.ValueCapacity)));
                WriteRecord(Record(tail + (ulong)i), firstId + (ulong)i, tagIndex, byteOffset + (i * WriteQueueFormat.ValueCapacity), chunk, origin, now, deadlineUnixNs);
            }

            // Records are complete before the tail publishes them (a crash before this line loses nothing visible).
            StepHook?.Invoke("records-written");
            Volatile.Write(ref *(ulong*)(_base + WriteQueueFormat.NextRequestIdOffset), firstId + (ulong)records);
            Volatile.Write(ref *(ulong*)(_base + WriteQueueFormat.TailOffset), tail + (ulong)records);
            StepHook?.Invoke("published");
            Volatile.Write(ref *(ulong*)(_base + WriteQueueFormat.EnqueuedTotalOffset), ReadUInt64(WriteQueueFormat.EnqueuedTotalOffset) + (ulong)records);
        }
        finally
        {
            ReleaseMutex();
        }

        _ready.Release();
        return new EnqueueResult(EnqueueStatus.Enqueued, firstId, records, "");
    }

    /// <summary>Consumer: takes the oldest request into <paramref name="request"/>; false when empty or the lock timed out.</summary>
    public bool TryDequeue(WriteRequest request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Count == 0 || !AcquireMutex(timeout))
        {
            return false;
        }

        try
        {
            var head = ReadUInt64(WriteQueueFormat.HeadOffset);
            if (head == ReadUInt64(WriteQueueFormat.TailOffset))
            {
                return false;
            }

            request.Load(Record(head));
            Volatile.Write(ref *(ulong*)(_base + WriteQueueFormat.HeadOffset), head + 1);
            Increment(WriteQueueFormat.DequeuedTotalOffset);
            return true;
        }
        finally
        {
            ReleaseMutex();
        }
    }

    /// <summary>Consumer: sleeps until a producer signals or <paramref name="timeout"/> passes; true when requests wait.</summary>
    public bool WaitForRequest(TimeSpan timeout)
    {
        if (Count > 0)
        {
            return true;
        }

        _ready.Wait(timeout);
        return Count > 0;
    }

    public void Dispose()
    {
        _mapping.Dispose();
        _mutex.Dispose();
        _ready.Dispose();
    }

    /// <summary>
    /// Takes the queue lock: one compare-and-swap of this process's identity into the lock word, so the owner is on
    /// record the instant the lock is held. While another owner holds it, waits on the word (futex, in slices) and
    /// between slices checks the owner; a dead owner is cleared by compare-and-swap, by exactly one waiter, and counted.
    /// </summary>
    internal bool AcquireMutex(TimeSpan timeout)
    {
        var start = Stopwatch.GetTimestamp();
        var word = LockWord;
        StepHook?.Invoke("before-lock");
        while (true)
        {
            var current = Interlocked.CompareExchange(ref *word, OwnIdentity, 0UL);
            if (current == 0)
            {
                StepHook?.Invoke("locked");
                Volatile.Write(ref *(ulong*)(_base + WriteQueueFormat.HolderStartTicksOffset), ProcessLiveness.CurrentProcessStartTicks);
                Volatile.Write(ref *(long*)(_base + WriteQueueFormat.HolderSinceUnixNsOffset), UnixTime.NowNs());
                StepHook?.Invoke("owner-recorded");
                return true;
            }

            if (TryTakeOverDeadOwner())
            {
                continue;
            }

            var remaining = timeout - Stopwatch.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            var slice = remaining < HolderCheckInterval ? remaining : HolderCheckInterval;
            Futex.Wait((uint*)word, (uint)current, slice);
        }
    }

    internal void ReleaseMutex()
    {
        StepHook?.Invoke("releasing");
        Volatile.Write(ref *LockWord, 0UL);
        StepHook?.Invoke("released");
        Futex.WakeAll((uint*)LockWord);
    }

    private ulong* LockWord => (ulong*)(_base + WriteQueueFormat.LockWordOffset);

    /// <summary>Clears the lock word when its owner is dead; true when this call did it.</summary>
    private bool TryTakeOverDeadOwner()
    {
        var current = Volatile.Read(ref *LockWord);
        if (current == 0 || QueueLockWord.OwnerAlive(current)
            || Interlocked.CompareExchange(ref *LockWord, 0UL, current) != current)
        {
            return false;
        }

        Increment(WriteQueueFormat.MutexRepairsOffset);
        Futex.WakeAll((uint*)LockWord);
        if (_logger is not null)
        {
            IpcLog.QueueLockTakenOver(_logger, Path, QueueLockWord.Pid(current));
        }

        return true;
    }

    private Span<byte> Record(ulong index) =>
        new(_base + WriteQueueFormat.HeaderSize + ((long)(index % (ulong)Capacity) * WriteQueueFormat.RecordSize), WriteQueueFormat.RecordSize);

    private static void WriteRecord(Span<byte> record, ulong id, int tagIndex, int byteOffset, ReadOnlySpan<byte> value, string origin, long now, long deadline)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(record[WriteQueueFormat.RecordRequestIdOffset..], id);
        BinaryPrimitives.WriteInt32LittleEndian(record[WriteQueueFormat.RecordTagIndexOffset..], tagIndex);
        BinaryPrimitives.WriteInt32LittleEndian(record[WriteQueueFormat.RecordByteOffsetOffset..], byteOffset);
        BinaryPrimitives.WriteInt32LittleEndian(record[WriteQueueFormat.RecordLengthOffset..], value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record[WriteQueueFormat.RecordOriginPidOffset..], Environment.ProcessId);
        BinaryPrimitives.WriteInt64LittleEndian(record[WriteQueueFormat.RecordEnqueuedOffset..], now);
        BinaryPrimitives.WriteInt64LittleEndian(record[WriteQueueFormat.RecordDeadlineOffset..], deadline);
        WriterStatus.WriteText(record.Slice(WriteQueueFormat.RecordOriginOffset, WriteQueueFormat.OriginCapacity), origin);
        value.CopyTo(record[WriteQueueFormat.RecordValueOffset..]);
    }

    private ulong ReadUInt64(int offset) => Volatile.Read(ref *(ulong*)(_base + offset));

    private void Increment(int offset) => Volatile.Write(ref *(ulong*)(_base + offset), ReadUInt64(offset) + 1);

    private static SharedMapping? TryMapExisting(string path, int capacity)
    {
        if (!SafeFdHandle.TryOpen(path, Interop.Libc.O_RDWR, 0, out var fd, out _))
        {
            return null;
        }

        using (fd)
        {
            var length = fd.Length(path);
            if (length != WriteQueueFormat.FileSize(capacity))
            {
                return null;
            }

            var mapping = SharedMapping.Map(fd, length, writable: true, path);
            var header = mapping.Span;
            if (BinaryPrimitives.ReadUInt64LittleEndian(header) != WriteQueueFormat.Magic
                || BinaryPrimitives.ReadInt32LittleEndian(header[WriteQueueFormat.CapacityOffset..]) != capacity
                || BinaryPrimitives.ReadInt32LittleEndian(header[WriteQueueFormat.RecordSizeOffset..]) != WriteQueueFormat.RecordSize)
            {
                mapping.Dispose();
                return null;
            }

            return mapping;
        }
    }

    private static SharedMapping CreateFile(string path, int capacity)
    {
        FileSpace.RemoveStaleTemporaries(path);
        var temporary = $"{path}.tmp-{Environment.ProcessId}-{Random.Shared.Next():x8}";
        var size = WriteQueueFormat.FileSize(capacity);
        SharedMapping? mapping = null;
        try
        {
            using (var fd = SafeFdHandle.Open(temporary, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT | Interop.Libc.O_EXCL))
            {
                _ = Interop.Libc.Fchmod(fd.Fd, Interop.Libc.FileMode0640);
                FileSpace.Reserve(fd, size, temporary, path);

                mapping = SharedMapping.Map(fd, size, writable: true, temporary);
            }

            var header = new Span<byte>(mapping.Pointer, WriteQueueFormat.HeaderSize);
            BinaryPrimitives.WriteUInt16LittleEndian(header[WriteQueueFormat.LayoutMajorOffset..], WriteQueueFormat.LayoutMajor);
            BinaryPrimitives.WriteUInt32LittleEndian(header[WriteQueueFormat.HeaderSizeOffset..], WriteQueueFormat.HeaderSize);
            BinaryPrimitives.WriteInt32LittleEndian(header[WriteQueueFormat.CapacityOffset..], capacity);
            BinaryPrimitives.WriteInt32LittleEndian(header[WriteQueueFormat.RecordSizeOffset..], WriteQueueFormat.RecordSize);
            BinaryPrimitives.WriteInt32LittleEndian(header[WriteQueueFormat.ValueCapacityOffset..], WriteQueueFormat.ValueCapacity);
            BinaryPrimitives.WriteInt64LittleEndian(header[WriteQueueFormat.FileSizeOffset..], size);
            // Ids start at the creation time so a recreated queue never reuses an id still visible in a results ring.
            BinaryPrimitives.WriteUInt64LittleEndian(header[WriteQueueFormat.NextRequestIdOffset..], (ulong)UnixTime.NowNs());
            Volatile.Write(ref *(ulong*)mapping.Pointer, WriteQueueFormat.Magic);
            if (Interop.Libc.Rename(temporary, path) != 0)
            {
                IpcSystemException.ThrowLast("rename", temporary);
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

    private static void Validate(string path, ReadOnlySpan<byte> file, long length)
    {
        if (length < WriteQueueFormat.HeaderSize)
        {
            SegmentFormatException.Throw(path, SegmentProblem.NotASegment, $"the file is {length} bytes, smaller than a write-queue header");
        }

        var magic = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (magic == SegmentFormat.Magic)
        {
            SegmentFormatException.Throw(path, SegmentProblem.WrongKind, "this is a segment, not a write-request queue");
        }

        if (magic != WriteQueueFormat.Magic)
        {
            SegmentFormatException.Throw(path, SegmentProblem.WrongMagic, $"expected 0x{WriteQueueFormat.Magic:X16} (\"EDGEPWRQ\"), found 0x{magic:X16}");
        }

        var capacity = BinaryPrimitives.ReadInt32LittleEndian(file[WriteQueueFormat.CapacityOffset..]);
        if (BinaryPrimitives.ReadUInt16LittleEndian(file[WriteQueueFormat.LayoutMajorOffset..]) != WriteQueueFormat.LayoutMajor)
        {
            SegmentFormatException.Throw(path, SegmentProblem.UnknownLayoutVersion, "unknown write-queue layout");
        }

        if (capacity < 1 || BinaryPrimitives.ReadInt32LittleEndian(file[WriteQueueFormat.RecordSizeOffset..]) != WriteQueueFormat.RecordSize
            || length < WriteQueueFormat.FileSize(capacity))
        {
            SegmentFormatException.Throw(path, SegmentProblem.Truncated, $"the file is {length} bytes, a queue of {capacity} records needs {WriteQueueFormat.FileSize(capacity)}");
        }
    }
}
