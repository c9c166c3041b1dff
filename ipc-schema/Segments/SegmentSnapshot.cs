using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgePartition.Ipc;

/// <summary>
/// A private, cycle-consistent copy of a segment's data area (status block, write results, tag slots). Reuse one
/// instance per reader loop: <see cref="SegmentReader.TryReadSnapshot"/> refills it without allocating.
/// </summary>
public sealed class SegmentSnapshot
{
    private readonly byte[] _data;

    public SegmentSnapshot(SegmentLayout layout)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _data = GC.AllocateUninitializedArray<byte>(layout.DataSize, pinned: true);
    }

    public SegmentLayout Layout { get; }

    /// <summary>The seqlock sequence the copy was taken at; commits = sequence / 2.</summary>
    public ulong CommitSequence { get; internal set; }

    /// <summary>The change sequence seen before the copy (pass it to <see cref="SegmentReader.WaitForChange"/>).</summary>
    public ulong ChangeSequence { get; internal set; }

    public ulong Epoch { get; internal set; }

    /// <summary>How many copy attempts the last read needed (1 = no collision with a commit).</summary>
    public int Attempts { get; internal set; }

    public ReadOnlySpan<byte> Data => _data;

    /// <summary>Results count of the last good copy; with <see cref="HasResults"/> lets the reader skip an unchanged ring.</summary>
    internal ulong ResultsCopied { get; set; }

    /// <summary>False until a good copy exists, and after a failed attempt (the buffer may then hold a torn ring).</summary>
    internal bool HasResults { get; set; }

    internal byte[] Buffer => _data;

    public ref readonly WriterStatus Status => ref MemoryMarshal.AsRef<WriterStatus>(_data.AsSpan(0, SegmentFormat.StatusSize));

    public uint GetQuality(int tag) => TagValueCodec.GetQuality(_data, Layout.Slot(tag));

    public long GetSourceTimestamp(int tag) => TagValueCodec.GetSourceTimestamp(_data, Layout.Slot(tag));

    /// <summary>
    /// The slot version of <paramref name="tag"/> in this snapshot: the low 32 bits of the commit sequence of the
    /// commit that last wrote it. Two snapshots with equal versions for a tag hold the same value, quality and
    /// timestamp for it, so a consumer finds changed tags without comparing value bytes.
    /// </summary>
    public uint GetVersion(int tag) => TagValueCodec.GetVersion(_data, Layout.Slot(tag));

    public bool GetBool(int tag, int element = 0) => TagValueCodec.Read<byte>(_data, Layout, tag, element, IpcDataType.Bool) != 0;

    public sbyte GetInt8(int tag, int element = 0) => TagValueCodec.Read<sbyte>(_data, Layout, tag, element, IpcDataType.Int8);

    public byte GetUInt8(int tag, int element = 0) => TagValueCodec.Read<byte>(_data, Layout, tag, element, IpcDataType.UInt8);

    public short GetInt16(int tag, int element = 0) => TagValueCodec.Read<short>(_data, Layout, tag, element, IpcDataType.Int16);

    public ushort GetUInt16(int tag, int element = 0) => TagValueCodec.Read<ushort>(_data, Layout, tag, element, IpcDataType.UInt16);

    public int GetInt32(int tag, int element = 0) => TagValueCodec.Read<int>(_data, Layout, tag, element, IpcDataType.Int32);

    public uint GetUInt32(int tag, int element = 0) => TagValueCodec.Read<uint>(_data, Layout, tag, element, IpcDataType.UInt32);

    public long GetInt64(int tag, int element = 0) => TagValueCodec.Read<long>(_data, Layout, tag, element, IpcDataType.Int64);

    public ulong GetUInt64(int tag, int element = 0) => TagValueCodec.Read<ulong>(_data, Layout, tag, element, IpcDataType.UInt64);

    public float GetFloat32(int tag, int element = 0) => TagValueCodec.Read<float>(_data, Layout, tag, element, IpcDataType.Float32);

    public double GetFloat64(int tag, int element = 0) => TagValueCodec.Read<double>(_data, Layout, tag, element, IpcDataType.Float64);

    /// <summary>ns since the Unix epoch, UTC.</summary>
    public long GetDateTime(int tag, int element = 0) => TagValueCodec.Read<long>(_data, Layout, tag, element, IpcDataType.DateTime);

    public long GetDuration(int tag, int element = 0) => TagValueCodec.Read<long>(_data, Layout, tag, element, IpcDataType.Duration);

    public string GetString(int tag, int element = 0) => Encoding.UTF8.GetString(GetStringUtf8(tag, element));

    public ReadOnlySpan<byte> GetStringUtf8(int tag, int element = 0) => TagValueCodec.ReadVariable(_data, Layout, tag, element, IpcDataType.String);

    public ReadOnlySpan<byte> GetBytes(int tag, int element = 0) => TagValueCodec.ReadVariable(_data, Layout, tag, element, IpcDataType.Bytes);

    /// <summary>The raw value storage of a tag (all elements, SCHEMA.md encoding).</summary>
    public ReadOnlySpan<byte> GetValueSpan(int tag)
    {
        var slot = Layout.Slot(tag);
        return _data.AsSpan(slot.ValueOffset, slot.ValueSize);
    }

    /// <summary>Total write results ever published; the ring holds the last <see cref="SegmentLayout.ResultsCapacity"/>.</summary>
    public ulong WriteResultsPublished => BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(SegmentFormat.ResultsWrittenOffset));

    /// <summary>Finds the result of <paramref name="requestId"/> among the retained results.</summary>
    public bool TryGetWriteResult(ulong requestId, out WriteResult result) => TryGetWriteResult(_data, Layout, requestId, out result);

    /// <summary>
    /// Finds the result of <paramref name="requestId"/> in <paramref name="data"/>, a copy of a segment's data area
    /// (a consumer that keeps its own copies of snapshots reads results here, not by offsets of its own).
    /// </summary>
    public static bool TryGetWriteResult(ReadOnlySpan<byte> data, SegmentLayout layout, ulong requestId, out WriteResult result)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var published = BinaryPrimitives.ReadUInt64LittleEndian(data[SegmentFormat.ResultsWrittenOffset..]);
        var retained = (int)Math.Min(published, (ulong)layout.ResultsCapacity);
        for (var i = 0; i < retained; i++)
        {
            var index = (int)((published - 1 - (ulong)i) % (ulong)layout.ResultsCapacity);
            var entry = data.Slice(SegmentFormat.ResultsEntriesOffset + (index * SegmentFormat.ResultEntrySize), SegmentFormat.ResultEntrySize);
            if (BinaryPrimitives.ReadUInt64LittleEndian(entry) == requestId)
            {
                result = DecodeResult(entry);
                return true;
            }
        }

        result = default;
        return false;
    }

    /// <summary>The retained results, newest first (allocates; for tools and status pages).</summary>
    public IReadOnlyList<WriteResult> GetWriteResults()
    {
        var published = WriteResultsPublished;
        var retained = (int)Math.Min(published, (ulong)Layout.ResultsCapacity);
        var results = new WriteResult[retained];
        for (var i = 0; i < retained; i++)
        {
            results[i] = DecodeResult(ResultEntry((int)((published - 1 - (ulong)i) % (ulong)Layout.ResultsCapacity)));
        }

        return results;
    }

    private ReadOnlySpan<byte> ResultEntry(int index) =>
        _data.AsSpan(SegmentFormat.ResultsEntriesOffset + (index * SegmentFormat.ResultEntrySize), SegmentFormat.ResultEntrySize);

    private static WriteResult DecodeResult(ReadOnlySpan<byte> entry) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(entry[SegmentFormat.ResultRequestIdOffset..]),
        BinaryPrimitives.ReadUInt32LittleEndian(entry[SegmentFormat.ResultStatusOffset..]),
        BinaryPrimitives.ReadInt32LittleEndian(entry[SegmentFormat.ResultTagIndexOffset..]),
        BinaryPrimitives.ReadInt64LittleEndian(entry[SegmentFormat.ResultEnqueuedOffset..]),
        BinaryPrimitives.ReadInt64LittleEndian(entry[SegmentFormat.ResultStartedOffset..]),
        BinaryPrimitives.ReadInt64LittleEndian(entry[SegmentFormat.ResultDoneOffset..]),
        WriterStatus.ReadText(entry.Slice(SegmentFormat.ResultErrorOffset, SegmentFormat.ResultErrorSize)));
}
