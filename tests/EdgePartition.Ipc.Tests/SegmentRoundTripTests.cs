using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>Every data type written by a writer and read back through a read-only mapping.</summary>
public class SegmentRoundTripTests
{
    internal static SegmentLayout AllTypes() => SegmentLayout.Create(
    [
        new TagDescriptor("b", IpcDataType.Bool, Address: "M0.0"),
        new TagDescriptor("i8", IpcDataType.Int8),
        new TagDescriptor("u8", IpcDataType.UInt8),
        new TagDescriptor("i16", IpcDataType.Int16, Address: "40001"),
        new TagDescriptor("u16", IpcDataType.UInt16),
        new TagDescriptor("i32", IpcDataType.Int32),
        new TagDescriptor("u32", IpcDataType.UInt32),
        new TagDescriptor("i64", IpcDataType.Int64),
        new TagDescriptor("u64", IpcDataType.UInt64),
        new TagDescriptor("f32", IpcDataType.Float32, Address: "DB10.DBD4"),
        new TagDescriptor("f64", IpcDataType.Float64),
        new TagDescriptor("s", IpcDataType.String, MaxLength: 12, Address: "ns=2;s=Text", Writable: true),
        new TagDescriptor("dt", IpcDataType.DateTime),
        new TagDescriptor("dur", IpcDataType.Duration),
        new TagDescriptor("raw", IpcDataType.Bytes, MaxLength: 16, Writable: true),
        new TagDescriptor("arr", IpcDataType.Int16, ArrayLength: 4),
        new TagDescriptor("sarr", IpcDataType.String, ArrayLength: 2, MaxLength: 5),
        new TagDescriptor("barr", IpcDataType.Bool, ArrayLength: 3),
    ]);

    internal static void StageAllTypes(SegmentWriter w)
    {
        var l = w.Layout;
        w.SetBool(l.IndexOf("b"), true);
        w.SetInt8(l.IndexOf("i8"), -5);
        w.SetUInt8(l.IndexOf("u8"), 250);
        w.SetInt16(l.IndexOf("i16"), -12345);
        w.SetUInt16(l.IndexOf("u16"), 65000);
        w.SetInt32(l.IndexOf("i32"), int.MinValue);
        w.SetUInt32(l.IndexOf("u32"), uint.MaxValue);
        w.SetInt64(l.IndexOf("i64"), -1234567890123456789);
        w.SetUInt64(l.IndexOf("u64"), ulong.MaxValue);
        w.SetFloat32(l.IndexOf("f32"), 0.1f);
        w.SetFloat64(l.IndexOf("f64"), -2.5e300);
        w.SetString(l.IndexOf("s"), "héllo wörld, too long");
        w.SetDateTime(l.IndexOf("dt"), 1_700_000_000_123_456_789);
        w.SetDuration(l.IndexOf("dur"), TimeSpan.FromMilliseconds(1500));
        w.SetBytes(l.IndexOf("raw"), [1, 2, 0xfe, 0xff]);
        for (var e = 0; e < 4; e++)
        {
            w.SetInt16(l.IndexOf("arr"), e, (short)(e * 100));
        }

        w.SetString(l.IndexOf("sarr"), 0, "ab");
        w.SetString(l.IndexOf("sarr"), 1, "cdefg");
        w.SetBool(l.IndexOf("barr"), 1, true);
        for (var i = 0; i < l.TagCount; i++)
        {
            w.SetSample(i, i == 2 ? IpcQuality.BadNotConnected : IpcQuality.Good, 1_700_000_000_000_000_000 + i);
        }

        ref var status = ref w.Status;
        status.SetState(ConnectionState.Connected, 42);
        status.ReadsOk = 10;
        status.ReadsFailed = 1;
        status.Reconnects = 2;
        status.CycleCount = 99;
        status.CycleTimeAvgNs = 1_000_000;
        status.SetLastError("timeout reading DB10");
        status.SetEndpoint("127.0.0.1:10102");
    }

    [Fact]
    public void ReaderSeesEveryTypeTheWriterCommitted()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", AllTypes());
        StageAllTypes(writer);
        writer.Commit();

        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var l = reader.Layout;
        Assert.Equal(writer.Layout.SchemaHash, l.SchemaHash);
        var s = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(s));
        Assert.True(s.GetBool(l.IndexOf("b")));
        Assert.Equal(-5, s.GetInt8(l.IndexOf("i8")));
        Assert.Equal(250, s.GetUInt8(l.IndexOf("u8")));
        Assert.Equal(-12345, s.GetInt16(l.IndexOf("i16")));
        Assert.Equal(65000, s.GetUInt16(l.IndexOf("u16")));
        Assert.Equal(int.MinValue, s.GetInt32(l.IndexOf("i32")));
        Assert.Equal(uint.MaxValue, s.GetUInt32(l.IndexOf("u32")));
        Assert.Equal(-1234567890123456789, s.GetInt64(l.IndexOf("i64")));
        Assert.Equal(ulong.MaxValue, s.GetUInt64(l.IndexOf("u64")));
        Assert.Equal(0.1f, s.GetFloat32(l.IndexOf("f32")));
        Assert.Equal(-2.5e300, s.GetFloat64(l.IndexOf("f64")));
        Assert.Equal("héllo wörl", s.GetString(l.IndexOf("s")));
        Assert.Equal(1_700_000_000_123_456_789, s.GetDateTime(l.IndexOf("dt")));
        Assert.Equal(1_500_000_000, s.GetDuration(l.IndexOf("dur")));
        Assert.Equal(new byte[] { 1, 2, 0xfe, 0xff }, s.GetBytes(l.IndexOf("raw")).ToArray());
        Assert.Equal(300, s.GetInt16(l.IndexOf("arr"), 3));
        Assert.Equal("cdefg", s.GetString(l.IndexOf("sarr"), 1));
        Assert.False(s.GetBool(l.IndexOf("barr"), 0));
        Assert.True(s.GetBool(l.IndexOf("barr"), 1));
        Assert.Equal(IpcQuality.BadNotConnected, s.GetQuality(2));
        Assert.Equal(1_700_000_000_000_000_005, s.GetSourceTimestamp(5));
        Assert.Equal("ns=2;s=Text", l.Tag(l.IndexOf("s")).Address);
        Assert.True(l.Tag(l.IndexOf("s")).Writable);
        Assert.Equal(ConnectionState.Connected, s.Status.State);
        Assert.Equal(99UL, s.Status.CycleCount);
        Assert.Equal("timeout reading DB10", s.Status.GetLastError());
        Assert.Equal("127.0.0.1:10102", s.Status.GetEndpoint());
    }

    [Fact]
    public void UncommittedValuesStayInvisibleAndNewSlotsWaitForInitialData()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", AllTypes());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        writer.SetInt32(reader.Layout.IndexOf("i32"), 7);
        var s = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(s));
        Assert.Equal(0, s.GetInt32(reader.Layout.IndexOf("i32")));
        Assert.Equal(IpcQuality.BadWaitingForInitialData, s.GetQuality(0));
        writer.Commit();
        Assert.True(reader.TryReadSnapshot(s));
        Assert.Equal(7, s.GetInt32(reader.Layout.IndexOf("i32")));
    }

    [Fact]
    public void TypedAccessorsRejectWrongTypeAndElement()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", AllTypes());
        Assert.Throws<ArgumentException>(() => writer.SetInt32(writer.Layout.IndexOf("i16"), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.SetInt16(writer.Layout.IndexOf("arr"), 4, 1));
        Assert.Throws<ArgumentException>(() => writer.SetBytes(writer.Layout.IndexOf("raw"), new byte[17]));
    }

    [Fact]
    public void WriteResultsReachReadersThroughTheSegment()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", AllTypes());
        for (ulong id = 1; id <= 40; id++)
        {
            writer.PublishWriteResult(new WriteResult(id, id % 2 == 0 ? IpcQuality.Good : IpcQuality.BadNotWritable, 3, 10, 20, 30, id % 2 == 0 ? "" : "refused by PLC"));
        }

        writer.Commit();
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var s = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(s));
        Assert.Equal(40UL, s.WriteResultsPublished);
        Assert.True(s.TryGetWriteResult(39, out var result));
        Assert.Equal(IpcQuality.BadNotWritable, result.StatusCode);
        Assert.Equal("refused by PLC", result.Error);
        Assert.False(s.TryGetWriteResult(8, out _));
        Assert.Equal(32, s.GetWriteResults().Count);
        Assert.Equal(40UL, s.GetWriteResults()[0].RequestId);

        // A later snapshot sees new results (the reader re-copies the ring only when its count moved).
        writer.SetInt32(writer.Layout.IndexOf("i32"), 5);
        writer.Commit();
        Assert.True(reader.TryReadSnapshot(s));
        Assert.Equal(40UL, s.WriteResultsPublished);
        writer.PublishWriteResult(new WriteResult(41, IpcQuality.Good, 3, 10, 20, 30, ""));
        writer.Commit();
        Assert.True(reader.TryReadSnapshot(s));
        Assert.True(s.TryGetWriteResult(41, out var newest));
        Assert.Equal(IpcQuality.Good, newest.StatusCode);
        Assert.True(s.TryGetWriteResult(39, out _));
    }
}
