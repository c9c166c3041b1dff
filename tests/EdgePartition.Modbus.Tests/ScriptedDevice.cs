using System.Net;
using System.Net.Sockets;

namespace EdgePartition.Modbus.Tests;

/// <summary>
/// A fake Modbus device on a loopback port the OS picks, driven step by step by the test: accept a connection, read
/// the client's frames, answer with whatever bytes the test wants (wrong ids, late replies, silence).
/// </summary>
internal sealed class ScriptedDevice : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ScriptedDevice()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(8);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public async Task<RawModbusSocket> AcceptAsync() => new(await _listener.AcceptAsync().WithTimeout());

    public void Dispose() => _listener.Dispose();
}
