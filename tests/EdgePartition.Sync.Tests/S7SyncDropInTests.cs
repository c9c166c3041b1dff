using System.Buffers.Binary;
using EdgePartition.Sync.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Sync.Tests;

/// <summary>
/// The s7sync utility's layout reproduced exactly (its worked example, offsets by the v2 rule): each PLC's shared
/// variables in DB200 of every PLC at per-PLC offsets, the server heartbeat an INT after the last variable.
/// </summary>
public sealed class S7SyncDropInTests : IDisposable
{
    private static readonly string[] Plcs = ["PLC_H110", "PLC_H120", "PLC_H150"];
    private readonly TestPartition _partition = TestPartition.FromS7SyncExample();
    private readonly EngineClock _clock = new();
    private readonly FakeCollector[] _plcs;

    public S7SyncDropInTests()
    {
        _plcs = Plcs.Select(p => new FakeCollector(_partition, p)).ToArray();
        foreach (var plc in _plcs)
        {
            plc.Connect();
        }
    }

    [Fact]
    public void ConfigResolvesTheUtilitysOffsets()
    {
        var sync = _partition.Config.Sync!;
        Assert.Equal(44, sync.Contributions.Single(c => c.Device == "PLC_H150" && c.Tag == "pressure").ImageOffset);
        Assert.Equal(56, sync.ServerHeartbeat!.ImageOffset);
        Assert.Equal(58, sync.ImageSize);
    }

    [Fact]
    public void PlcH150Db17Int0LandsInDb200Int44OfEveryPlcWithTheHeartbeatAtInt56()
    {
        using var engine = new SyncEngine(_partition.Config, NullLogger.Instance);
        _plcs[2].SetInt16("pressure", 1234);
        _plcs[0].SetInt16("level", -5);
        _plcs[0].SetBool("running", true);
        _plcs[1].SetInt16("alarms", 77);
        foreach (var plc in _plcs)
        {
            plc.Commit();
        }

        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(50));
            engine.RunCycle(true, _clock.MonotonicNs, _clock.UnixNs);
            foreach (var plc in _plcs)
            {
                plc.Drain();
            }
        }

        foreach (var plc in _plcs)
        {
            var db200 = plc.Memory("sync");
            Assert.Equal(1234, BinaryPrimitives.ReadInt16BigEndian(db200.AsSpan(44)));
            Assert.Equal(-5, BinaryPrimitives.ReadInt16BigEndian(db200.AsSpan(0)));
            Assert.Equal(1, db200[6] & 1);
            Assert.Equal(77, BinaryPrimitives.ReadInt16BigEndian(db200.AsSpan(22 + 20)));
            Assert.Equal(3, BinaryPrimitives.ReadInt16BigEndian(db200.AsSpan(56)));
        }
    }

    public void Dispose()
    {
        foreach (var plc in _plcs)
        {
            plc.Dispose();
        }

        _partition.Dispose();
    }
}
