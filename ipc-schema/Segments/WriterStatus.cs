using System.Runtime.InteropServices;
using System.Text;

namespace EdgePartition.Ipc;

/// <summary>
/// The writer's status block: the first 512 bytes of the committed data area, so it is published atomically with
/// the values of the same cycle. Collectors and sync fill it through <see cref="SegmentWriter.Status"/>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = SegmentFormat.StatusSize)]
public unsafe struct WriterStatus
{
    public const int LastErrorCapacity = 256;
    public const int EndpointCapacity = 64;

    [FieldOffset(0)]
    public ConnectionState State;

    /// <summary>When <see cref="State"/> last changed, ns since the Unix epoch.</summary>
    [FieldOffset(8)]
    public long StateSinceUnixNs;

    [FieldOffset(16)]
    public ulong ReadsOk;

    [FieldOffset(24)]
    public ulong ReadsFailed;

    [FieldOffset(32)]
    public ulong WritesOk;

    [FieldOffset(40)]
    public ulong WritesFailed;

    [FieldOffset(48)]
    public ulong Reconnects;

    [FieldOffset(56)]
    public ulong BytesIn;

    [FieldOffset(64)]
    public ulong BytesOut;

    [FieldOffset(72)]
    public ulong CycleCount;

    [FieldOffset(80)]
    public long CycleTimeLastNs;

    [FieldOffset(88)]
    public long CycleTimeAvgNs;

    [FieldOffset(96)]
    public long CycleTimeMaxNs;

    [FieldOffset(104)]
    public long JitterP50Ns;

    [FieldOffset(112)]
    public long JitterP99Ns;

    [FieldOffset(120)]
    public long JitterMaxNs;

    /// <summary>Start of the last poll cycle, ns since the Unix epoch.</summary>
    [FieldOffset(128)]
    public long LastCycleUnixNs;

    /// <summary>Requests waiting in the device's write queue when the cycle was committed.</summary>
    [FieldOffset(136)]
    public uint WriteQueueDepth;

    [FieldOffset(192)]
    private fixed byte _lastError[LastErrorCapacity];

    [FieldOffset(448)]
    private fixed byte _endpoint[EndpointCapacity];

    /// <summary>Sets the state and, when it changes, the time it changed.</summary>
    public void SetState(ConnectionState state, long nowUnixNs)
    {
        if (State != state)
        {
            State = state;
            StateSinceUnixNs = nowUnixNs;
        }
    }

    /// <summary>The last error as UTF-8, truncated to 255 bytes at a character boundary; empty clears it.</summary>
    public void SetLastError(ReadOnlySpan<char> text)
    {
        fixed (byte* p = _lastError)
        {
            WriteText(new Span<byte>(p, LastErrorCapacity), text);
        }
    }

    public readonly string GetLastError()
    {
        fixed (byte* p = _lastError)
        {
            return ReadText(new ReadOnlySpan<byte>(p, LastErrorCapacity));
        }
    }

    /// <summary>The device endpoint, e.g. "127.0.0.1:102" or "opc.tcp://host:4840".</summary>
    public void SetEndpoint(ReadOnlySpan<char> text)
    {
        fixed (byte* p = _endpoint)
        {
            WriteText(new Span<byte>(p, EndpointCapacity), text);
        }
    }

    public readonly string GetEndpoint()
    {
        fixed (byte* p = _endpoint)
        {
            return ReadText(new ReadOnlySpan<byte>(p, EndpointCapacity));
        }
    }

    /// <summary>Writes NUL-padded UTF-8 into a fixed field, cutting at a character boundary.</summary>
    internal static void WriteText(Span<byte> field, ReadOnlySpan<char> text)
    {
        field.Clear();
        var room = field[..^1];
        var encoder = Encoding.UTF8.GetEncoder();
        encoder.Convert(text, room, flush: true, out _, out _, out _);
    }

    internal static string ReadText(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
