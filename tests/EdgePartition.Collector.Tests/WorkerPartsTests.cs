using EdgePartition.Collector.Layout;
using EdgePartition.Collector.Workers;
using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Tests;

public sealed class WorkerPartsTests
{
    [Fact]
    public void ScheduleTicksAtTheGroupsCommonDivisorAndPollsEachGroupOnItsOwnCycle()
    {
        var schedule = new PollSchedule([Group("a", 100), Group("b", 250)]);
        Assert.Equal(TimeSpan.FromMilliseconds(50), schedule.Period);

        var polls = new int[2];
        for (long tick = 0; tick < 20; tick++)
        {
            var now = tick * 50_000_000;
            for (var g = 0; g < 2; g++)
            {
                polls[g] += schedule.TakeDue(g, now) ? 1 : 0;
            }
        }

        Assert.Equal(10, polls[0]); // 1 s of ticks: every 100 ms
        Assert.Equal(4, polls[1]);  // every 250 ms
    }

    [Fact]
    public void SlowGroupsStillTickOftenEnoughForHeartbeatsAndShutdown()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), new PollSchedule([Group("slow", 10_000)]).Period);
    }

    [Fact]
    public void ByteArraysBecomeByteBlocksAndScaledTagsFloat64()
    {
        var device = new DeviceConfig
        {
            Name = "plc",
            Protocol = Protocol.S7,
            Connection = new S7ConnectionConfig { Host = "127.0.0.1" },
            PollGroups =
            [
                new PollGroupConfig
                {
                    Name = "main",
                    CycleTime = TimeSpan.FromMilliseconds(100),
                    Tags =
                    [
                        S7Tag("send", "DB1.DBB0", "BYTE", 32, length: 32),
                        S7Tag("speed", "DB1.DBW32", "INT", 2),
                        S7Tag("scaled", "DB1.DBW34", "INT", 2, scale: 0.1),
                        S7Tag("levels", "DB1.DBD36", "REAL", 12, length: 3),
                        S7Tag("name", "DB1.DBB48", "STRING", 12, stringLength: 10),
                    ],
                },
            ],
        };

        var layout = DeviceLayout.Build(device);

        Assert.Equal((IpcDataType.Bytes, 1, 32), (layout.Tags[0].SegmentType, layout.Tags[0].ArrayLength, layout.Tags[0].MaxLength));
        Assert.Equal(IpcDataType.Int16, layout.Tags[1].SegmentType);
        Assert.Equal(IpcDataType.Float64, layout.Tags[2].SegmentType);
        Assert.Equal((IpcDataType.Float32, 3), (layout.Tags[3].SegmentType, layout.Tags[3].ArrayLength));
        Assert.Equal((IpcDataType.String, 20), (layout.Tags[4].SegmentType, layout.Tags[4].MaxLength));
        Assert.Equal(5, layout.Segment.TagCount);
        Assert.Equal("DB1.DBB0", layout.Segment.Tag(0).Address);
    }

    private static PollGroupConfig Group(string name, int ms) =>
        new() { Name = name, CycleTime = TimeSpan.FromMilliseconds(ms), Tags = [] };

    private static TagConfig S7Tag(string name, string address, string type, int size, int length = 1, double scale = 1, int? stringLength = null)
    {
        return new TagConfig
        {
            Name = name,
            Address = address,
            DataType = type,
            ArrayLength = length,
            StringLength = stringLength,
            Scale = scale,
            PollGroup = "main",
            S7Address = EdgePartition.S7.S7Address.Parse(address),
            ByteLength = size,
        };
    }
}
