using System.Buffers.Binary;

namespace EdgePartition.Cli.Demo;

/// <summary>
/// The little PLC program each virtual PLC of `edgepart demo` runs on its own DBs (layout: config/README.md, "The demo
/// partition"): a heartbeat that increments, a pump that follows the previous PLC's request, and a requester that
/// asks the next PLC's pump to run, acknowledges it once it runs, and lets it go again.
/// Pure logic over the DB bytes, so the same program serves the demo and tests.
/// </summary>
internal sealed class DemoPlcProgram(int index, int plcCount)
{
    public const int SendBlockSize = 32;
    public const int ReceiveBlockSize = 100;

    // DB100 (send block) offsets, big-endian as in a non-optimized S7 DB.
    private const int HeartbeatOffset = 0;
    private const int FlagsOffset = 2;
    private const int RequestBit = 0;
    private const int AckBit = 1;
    private const int PumpStateBit = 2;
    private const int SpeedOffset = 4;
    private const int CounterOffset = 6;
    private const int TemperatureOffset = 8;
    private const int LevelOffset = 12;

    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RequestPeriod = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(4);

    private readonly int _previous = (index + plcCount - 1) % plcCount;
    private readonly int _next = (index + 1) % plcCount;
    private TimeSpan _lastHeartbeat;
    private TimeSpan _lastCount;
    private TimeSpan _acknowledgedAt;

    // Stagger the PLCs so their requests do not all start together.
    private TimeSpan _nextRequestAt = TimeSpan.FromSeconds(3) + (RequestPeriod / plcCount * index);

    /// <summary>One scan: reads the merged image in <paramref name="receive"/>, updates <paramref name="send"/>.</summary>
    public void Scan(TimeSpan now, Span<byte> send, ReadOnlySpan<byte> receive)
    {
        if (now - _lastHeartbeat >= HeartbeatPeriod)
        {
            _lastHeartbeat = now;
            WriteInt(send, HeartbeatOffset, (short)(ReadInt(send, HeartbeatOffset) + 1));
        }

        RunPump(now, send, receive);
        RequestNextPump(now, send, receive);
        SimulateProcess(now, send);
    }

    private void RunPump(TimeSpan now, Span<byte> send, ReadOnlySpan<byte> receive)
    {
        // Follow the previous PLC's request as the merged image shows it.
        var requested = ImageBit(receive, _previous, RequestBit);
        SetBit(send, PumpStateBit, requested);
        var speed = ReadInt(send, SpeedOffset);
        var target = requested ? 1450 : 0;
        var step = (short)Math.Clamp(target - speed, -50, 50);
        WriteInt(send, SpeedOffset, (short)(speed + step));
        if (requested && now - _lastCount >= TimeSpan.FromSeconds(1))
        {
            _lastCount = now;
            WriteInt(send, CounterOffset, (short)(ReadInt(send, CounterOffset) + 1));
        }
    }

    private void RequestNextPump(TimeSpan now, Span<byte> send, ReadOnlySpan<byte> receive)
    {
        var requesting = GetBit(send, RequestBit);
        if (!requesting && now >= _nextRequestAt)
        {
            _nextRequestAt = now + RequestPeriod;
            SetBit(send, AckBit, false);
            SetBit(send, RequestBit, true);
            return;
        }

        if (requesting && !GetBit(send, AckBit) && ImageBit(receive, _next, PumpStateBit))
        {
            _acknowledgedAt = now;
            SetBit(send, AckBit, true);
        }

        if (requesting && GetBit(send, AckBit) && now - _acknowledgedAt >= RunTime)
        {
            SetBit(send, RequestBit, false);
        }
    }

    private void SimulateProcess(TimeSpan now, Span<byte> send)
    {
        var seconds = now.TotalSeconds;
        var temperature = 21.5 + (4 * Math.Sin((seconds / 20) + index));
        var level = 50 + (30 * Math.Sin((seconds / 45) + (index * 2)));
        BinaryPrimitives.WriteSingleBigEndian(send[TemperatureOffset..], (float)Math.Round(temperature, 2));
        BinaryPrimitives.WriteSingleBigEndian(send[LevelOffset..], (float)Math.Round(level, 1));
    }

    private static bool ImageBit(ReadOnlySpan<byte> receive, int plc, int bit) =>
        (receive[(plc * SendBlockSize) + FlagsOffset] & (1 << bit)) != 0;

    private static bool GetBit(ReadOnlySpan<byte> send, int bit) => (send[FlagsOffset] & (1 << bit)) != 0;

    private static void SetBit(Span<byte> send, int bit, bool value) =>
        send[FlagsOffset] = value ? (byte)(send[FlagsOffset] | (1 << bit)) : (byte)(send[FlagsOffset] & ~(1 << bit));

    private static short ReadInt(ReadOnlySpan<byte> block, int offset) => BinaryPrimitives.ReadInt16BigEndian(block[offset..]);

    private static void WriteInt(Span<byte> block, int offset, short value) => BinaryPrimitives.WriteInt16BigEndian(block[offset..], value);
}
