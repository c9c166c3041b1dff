using System.Buffers.Binary;

namespace EdgePartition.Ipc;

/// <summary>
/// One dequeued write request. The collector reuses one instance: <see cref="WriteQueue.TryDequeue"/> fills it.
/// </summary>
public sealed class WriteRequest
{
    private readonly byte[] _value = new byte[WriteQueueFormat.ValueCapacity];

    public ulong RequestId { get; private set; }

    public int TagIndex { get; private set; }

    /// <summary>Where in the tag's value storage the bytes go (a changed range of a byte-array block).</summary>
    public int ByteOffset { get; private set; }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Value => _value.AsSpan(0, Length);

    public string Origin { get; private set; } = "";

    public int OriginPid { get; private set; }

    public long EnqueuedUnixNs { get; private set; }

    /// <summary>After this time the request must not be executed (0 = no deadline).</summary>
    public long DeadlineUnixNs { get; private set; }

    public bool IsExpired(long nowUnixNs) => DeadlineUnixNs != 0 && nowUnixNs > DeadlineUnixNs;

    internal void Load(ReadOnlySpan<byte> record)
    {
        RequestId = BinaryPrimitives.ReadUInt64LittleEndian(record[WriteQueueFormat.RecordRequestIdOffset..]);
        TagIndex = BinaryPrimitives.ReadInt32LittleEndian(record[WriteQueueFormat.RecordTagIndexOffset..]);
        ByteOffset = BinaryPrimitives.ReadInt32LittleEndian(record[WriteQueueFormat.RecordByteOffsetOffset..]);
        Length = Math.Clamp(BinaryPrimitives.ReadInt32LittleEndian(record[WriteQueueFormat.RecordLengthOffset..]), 0, WriteQueueFormat.ValueCapacity);
        OriginPid = BinaryPrimitives.ReadInt32LittleEndian(record[WriteQueueFormat.RecordOriginPidOffset..]);
        EnqueuedUnixNs = BinaryPrimitives.ReadInt64LittleEndian(record[WriteQueueFormat.RecordEnqueuedOffset..]);
        DeadlineUnixNs = BinaryPrimitives.ReadInt64LittleEndian(record[WriteQueueFormat.RecordDeadlineOffset..]);
        Origin = WriterStatus.ReadText(record.Slice(WriteQueueFormat.RecordOriginOffset, WriteQueueFormat.OriginCapacity));
        record.Slice(WriteQueueFormat.RecordValueOffset, Length).CopyTo(_value);
    }
}
