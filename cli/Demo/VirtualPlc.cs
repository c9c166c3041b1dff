using System.Net;
using EdgePartition.Config;
using EdgePartition.S7;
using EdgePartition.S7.Server;

namespace EdgePartition.Cli.Demo;

/// <summary>
/// A virtual S7 PLC of the demo: our S7 server on the device's loopback port with every DB the device's tags touch,
/// and the demo PLC program scanning its send block (tag `send`) against the merged image in its receive block
/// (tag `receive`), as a PLC would.
/// </summary>
internal sealed class VirtualPlc : IAsyncDisposable
{
    private readonly S7Server _server;
    private readonly DemoPlcProgram _program;
    private readonly (int Db, int Offset, int Length) _send;
    private readonly (int Db, int Offset, int Length) _receive;
    private readonly Dictionary<int, byte[]> _blocks;

    private VirtualPlc(DeviceConfig device, int index, int count)
    {
        Name = device.Name;
        _program = new DemoPlcProgram(index, count);
        _send = Block(device, "send");
        _receive = Block(device, "receive");
        _blocks = DataBlocksOf(device);
        _server = new S7Server(new S7ServerOptions());
        foreach (var (number, memory) in _blocks)
        {
            _server.RegisterArea(S7Area.DB, number, memory);
        }

        var connection = device.S7 ?? throw new InvalidOperationException($"{device.Name} is not an S7 device");
        _server.Start(IPAddress.Loopback, connection.Port);
        Endpoint = $"127.0.0.1:{_server.Port}";
    }

    public string Name { get; }

    public string Endpoint { get; }

    public static VirtualPlc Start(DeviceConfig device, int index, int count) => new(device, index, count);

    /// <summary>One PLC scan, under the DB locks so clients see a whole scan's result or none of it.</summary>
    public void Scan(TimeSpan now)
    {
        _server.LockArea(S7Area.DB, _send.Db);
        var sameBlock = _receive.Db == _send.Db;
        if (!sameBlock)
        {
            _server.LockArea(S7Area.DB, _receive.Db);
        }

        try
        {
            _program.Scan(
                now,
                _blocks[_send.Db].AsSpan(_send.Offset, _send.Length),
                _blocks[_receive.Db].AsSpan(_receive.Offset, _receive.Length));
        }
        finally
        {
            if (!sameBlock)
            {
                _server.UnlockArea(S7Area.DB, _receive.Db);
            }

            _server.UnlockArea(S7Area.DB, _send.Db);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static (int Db, int Offset, int Length) Block(DeviceConfig device, string tagName)
    {
        var tag = device.FindTag(tagName)
            ?? throw new InvalidOperationException($"demo device {device.Name} has no '{tagName}' tag");
        if (tag.S7Address is not { Area: S7Area.DB } address)
        {
            throw new InvalidOperationException($"demo tag {device.Name}.{tagName} must be in a DB");
        }

        return (address.DbNumber, address.Offset, tag.ByteLength);
    }

    private static Dictionary<int, byte[]> DataBlocksOf(DeviceConfig device)
    {
        var sizes = new Dictionary<int, int>();
        foreach (var tag in device.Tags)
        {
            if (tag.S7Address is { Area: S7Area.DB } address)
            {
                sizes[address.DbNumber] = Math.Max(sizes.GetValueOrDefault(address.DbNumber), address.Offset + tag.ByteLength);
            }
        }

        var blocks = new Dictionary<int, byte[]>();
        foreach (var (number, size) in sizes)
        {
            blocks[number] = new byte[size];
        }

        return blocks;
    }
}
