using EdgePartition.Ipc;

namespace EdgePartition.Northbound.Tests.Support;

/// <summary>
/// A device segment written by the test the way a collector writes it (SegmentWriter: staged values, one commit
/// per cycle, the connection state in the status block), so the publisher reads it exactly as in production.
/// </summary>
internal sealed class SimDevice : IDisposable
{
    public static readonly TagDescriptor[] Tags =
    [
        new("Running", IpcDataType.Bool),
        new("Speed", IpcDataType.Int16, Writable: true),
        new("Count", IpcDataType.Int32),
        new("Total", IpcDataType.UInt32),
        new("Energy", IpcDataType.Int64),
        new("Temp", IpcDataType.Float32),
        new("Pressure", IpcDataType.Float64),
        new("Recipe", IpcDataType.String, MaxLength: 16),
        new("Stamp", IpcDataType.DateTime),
        new("Levels", IpcDataType.Int16, ArrayLength: 4),
        new("Flags", IpcDataType.Bool, ArrayLength: 10),
    ];

    private readonly SegmentWriter _writer;
    private readonly Lock _gate = new();
    private readonly Timer _heartbeat;

    public SimDevice(string directory, string partition, string name)
    {
        Name = name;
        _writer = SegmentWriter.Create(directory, partition, name, SegmentLayout.Create(Tags));
        _writer.SetAllQualities(IpcQuality.BadWaitingForInitialData);
        SetConnectedLocked(true);

        // A collector proves it is alive between commits; without it readers judge the writer hung.
        _heartbeat = new Timer(_ => { lock (_gate) { _writer.Heartbeat(); } }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    public string Name { get; }

    public SegmentWriter Writer => _writer;

    public void SetConnected(bool connected)
    {
        lock (_gate)
        {
            SetConnectedLocked(connected);
        }
    }

    private void SetConnectedLocked(bool connected)
    {
        _writer.Status.SetState(connected ? ConnectionState.Connected : ConnectionState.Disconnected, UnixTime.NowNs());
        if (!connected)
        {
            _writer.SetAllQualities(IpcQuality.BadNotConnected);
        }

        _writer.Commit();
    }

    /// <summary>One poll cycle: every tag gets a value derived from <paramref name="n"/>, good quality, now as source time.</summary>
    public void Cycle(int n)
    {
        using var scope = _gate.EnterScope();
        var now = UnixTime.NowNs();
        _writer.SetBool(0, n % 2 == 1);
        _writer.SetInt16(1, (short)(n - 3));
        _writer.SetInt32(2, -n * 1000);
        _writer.SetUInt32(3, 4_000_000_000u + (uint)n);
        _writer.SetInt64(4, -5_000_000_000L * n);
        _writer.SetFloat32(5, 20.5f + n);
        _writer.SetFloat64(6, 1.25 * n);
        _writer.SetString(7, $"recipe-{n}");
        _writer.SetDateTime(8, 1_700_000_000_000_000_000L + (n * 1_000_000L));
        for (var i = 0; i < 4; i++)
        {
            _writer.SetInt16(9, i, (short)((n * 10) - i));
        }

        for (var i = 0; i < 10; i++)
        {
            _writer.SetBool(10, i, (n + i) % 3 == 0);
        }

        for (var t = 0; t < Tags.Length; t++)
        {
            _writer.SetSample(t, IpcQuality.Good, now);
        }

        _writer.Commit();
    }

    /// <summary>Only the counter changes: one metric per commit (for ordering checks).</summary>
    public void SetCount(int value)
    {
        using var scope = _gate.EnterScope();
        _writer.SetInt32(2, value);
        _writer.SetSample(2, IpcQuality.Good, UnixTime.NowNs());
        _writer.Commit();
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
