using System.Runtime.CompilerServices;
using EdgePartition.Native;

namespace EdgePartition.Ipc.Tests;

/// <summary>Pins the shared-memory ABI: every size and offset SCHEMA.md promises (the C header checks the same).</summary>
public class SegmentAbiTests
{
    [Fact]
    public void FutexWaitvMatchesTheKernelsStructOf24Bytes()
    {
        // struct futex_waitv { __u64 val; __u64 uaddr; __u32 flags; __u32 __reserved; } (linux/futex.h)
        Assert.Equal(24, Unsafe.SizeOf<Interop.Libc.FutexWaitv>());
        var waiter = default(Interop.Libc.FutexWaitv);
        Assert.Equal(8, Offset(ref waiter, ref Unsafe.As<ulong, byte>(ref waiter.Address)));
        Assert.Equal(16, Offset(ref waiter, ref Unsafe.As<uint, byte>(ref waiter.Flags)));
    }

    [Fact]
    public void WriterStatusIsExactly512BytesWithDocumentedOffsets()
    {
        Assert.Equal(512, Unsafe.SizeOf<WriterStatus>());
        var status = default(WriterStatus);
        Assert.Equal(0, Offset(ref status, ref Unsafe.As<ConnectionState, byte>(ref status.State)));
        Assert.Equal(8, Offset(ref status, ref Unsafe.As<long, byte>(ref status.StateSinceUnixNs)));
        Assert.Equal(16, Offset(ref status, ref Unsafe.As<ulong, byte>(ref status.ReadsOk)));
        Assert.Equal(72, Offset(ref status, ref Unsafe.As<ulong, byte>(ref status.CycleCount)));
        Assert.Equal(120, Offset(ref status, ref Unsafe.As<long, byte>(ref status.JitterMaxNs)));
        Assert.Equal(128, Offset(ref status, ref Unsafe.As<long, byte>(ref status.LastCycleUnixNs)));
        Assert.Equal(136, Offset(ref status, ref Unsafe.As<uint, byte>(ref status.WriteQueueDepth)));
    }

    [Fact]
    public void HeaderHotFieldsSitOnTheirOwnCacheLines()
    {
        Assert.Equal(320, SegmentFormat.HeaderSize);
        Assert.Equal(2, SegmentFormat.LayoutMajor);
        Assert.Equal(0, SegmentFormat.MagicOffset / 64);
        Assert.Equal(1, SegmentFormat.EpochOffset / 64);
        Assert.Equal(1, SegmentFormat.HeartbeatMonotonicNsOffset / 64);
        Assert.Equal(128, SegmentFormat.CommitSequenceOffset);
        Assert.Equal(192, SegmentFormat.ChangeSequenceOffset);
        Assert.Equal(200, SegmentFormat.FutexWordOffset);
        Assert.Equal(256, SegmentFormat.LastCommitUnixNsOffset);
        Assert.Equal(264, SegmentFormat.LastCommitMonotonicNsOffset);
        Assert.Equal(4, TagSlot.VersionOffset);
        Assert.Equal(0, SegmentFormat.CommitSequenceOffset % 8);
        Assert.Equal(0, SegmentFormat.FutexWordOffset % 4);
        Assert.Equal(0x4745535045474445UL, SegmentFormat.Magic);
    }

    [Fact]
    public void LayoutPlacesSlotsAsDocumented()
    {
        var layout = SegmentLayout.Create(
        [
            new TagDescriptor("a", IpcDataType.Bool),
            new TagDescriptor("b", IpcDataType.Int16, ArrayLength: 3),
            new TagDescriptor("s", IpcDataType.String, MaxLength: 10),
            new TagDescriptor("d", IpcDataType.Float64),
        ]);
        Assert.Equal(320 + (4 * 192), layout.DataOffset);
        Assert.Equal(576 + (32 * 128), layout.ValuesOffset);
        Assert.Equal(new TagSlot(layout.ValuesOffset, 1, 1), layout.Slot(0));
        Assert.Equal(new TagSlot(layout.ValuesOffset + 24, 2, 6), layout.Slot(1));
        // 48 + 32 would cross the line at 64: a slot that fits a line starts on the next one instead.
        Assert.Equal(new TagSlot(layout.ValuesOffset + 64, 16, 16), layout.Slot(2));
        Assert.Equal(new TagSlot(layout.ValuesOffset + 96, 8, 8), layout.Slot(3));
        Assert.Equal(0, layout.SegmentSize % 4096);
        Assert.Equal(1, layout.IndexOf("b"));
    }

    [Fact]
    public void NoSlotThatFitsACacheLineStraddlesTwo()
    {
        var random = new Random(20261121);
        IpcDataType[] types = [IpcDataType.Bool, IpcDataType.Int16, IpcDataType.Int32, IpcDataType.Float64, IpcDataType.String, IpcDataType.Bytes];
        for (var round = 0; round < 200; round++)
        {
            var tags = new TagDescriptor[random.Next(1, 40)];
            for (var i = 0; i < tags.Length; i++)
            {
                var type = types[random.Next(types.Length)];
                var variable = type is IpcDataType.String or IpcDataType.Bytes;
                tags[i] = new TagDescriptor($"t{i}", type, ArrayLength: random.Next(1, 9), MaxLength: variable ? random.Next(1, 80) : 0);
            }

            var layout = SegmentLayout.Create(tags);
            for (var i = 0; i < tags.Length; i++)
            {
                var slot = layout.Slot(i);
                var size = TagSlot.HeaderSize + ((slot.ValueSize + 7) & ~7);
                Assert.Equal(0, slot.SlotOffset % 8);
                if (size <= 64)
                {
                    Assert.True((slot.SlotOffset % 64) + size <= 64, $"round {round}: slot {i} of {size} bytes at {slot.SlotOffset} crosses a line");
                }
            }
        }
    }

    [Fact]
    public void SchemaHashChangesWithAnyTagProperty()
    {
        var baseline = SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32, Address: "40001")]).SchemaHash;
        Assert.Equal(baseline, SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32, Address: "40001")]).SchemaHash);
        Assert.NotEqual(baseline, SegmentLayout.Create([new TagDescriptor("x", IpcDataType.UInt32, Address: "40001")]).SchemaHash);
        Assert.NotEqual(baseline, SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32, Address: "40002")]).SchemaHash);
        Assert.NotEqual(baseline, SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32, Address: "40001", Writable: true)]).SchemaHash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("this-name-is-far-too-long-for-a-tag-because-it-exceeds-sixty-three-bytes")]
    public void RejectsBadTagNames(string name) =>
        Assert.Throws<ArgumentException>(() => SegmentLayout.Create([new TagDescriptor(name, IpcDataType.Int32)]));

    [Fact]
    public void RejectsDuplicateNamesAndMissingMaxLength()
    {
        Assert.Throws<ArgumentException>(() => SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32), new TagDescriptor("x", IpcDataType.Int8)]));
        Assert.Throws<ArgumentException>(() => SegmentLayout.Create([new TagDescriptor("s", IpcDataType.String)]));
        Assert.Throws<ArgumentException>(() => SegmentLayout.Create([new TagDescriptor("i", IpcDataType.Int32, MaxLength: 4)]));
    }

    [Theory]
    [InlineData("plc-1_a", true)]
    [InlineData("plc.1", false)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    public void ValidatesSegmentNames(string name, bool valid) => Assert.Equal(valid, SegmentNames.IsValidName(name));

    private static int Offset<T>(ref T structure, ref byte field)
        where T : struct =>
        (int)Unsafe.ByteOffset(ref Unsafe.As<T, byte>(ref structure), ref field);
}
