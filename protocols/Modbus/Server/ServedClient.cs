using System.Net;
using System.Net.Sockets;

namespace EdgePartition.Modbus.Server;

/// <summary>One client connection of a <see cref="ModbusTcpServer"/> as the admission rule sees it.</summary>
internal sealed class ServedClient(Socket socket) : IAdmittedConnection
{
    private long _lastActivity = Environment.TickCount64;
    private int _talked;
    private int _evicted;

    public Socket Socket { get; } = socket;

    public EndPoint? Remote { get; } = socket.RemoteEndPoint;

    public IPAddress? RemoteAddress => (Remote as IPEndPoint)?.Address;

    public long LastActivityMs => Volatile.Read(ref _lastActivity);

    /// <summary>The client sent a first whole request.</summary>
    public bool HasTalked => Volatile.Read(ref _talked) != 0;

    public bool Evicted => Volatile.Read(ref _evicted) != 0;

    /// <summary>Records that the client sent bytes; <paramref name="request"/> when they held a whole request.</summary>
    public void OnReceived(bool request)
    {
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        if (request)
        {
            Volatile.Write(ref _talked, 1);
        }
    }

    public void Evict()
    {
        Volatile.Write(ref _evicted, 1);
        Socket.Dispose();
    }
}
