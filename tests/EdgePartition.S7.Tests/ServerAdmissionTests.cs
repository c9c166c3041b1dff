using System.Net;
using System.Net.Sockets;
using EdgePartition.S7.Server;
using EdgePartition.Testing.Peers;

namespace EdgePartition.S7.Tests;

/// <summary>
/// Sockets held without being used cannot lock HMIs out of the virtual PLC: a silent socket gives way to a new client,
/// the handshake has a deadline, and one address holds at most its share of the places.
/// </summary>
public sealed class ServerAdmissionTests
{
    private static S7Server StartServer(S7ServerOptions? options = null)
    {
        var server = new S7Server(options);
        server.RegisterArea(S7Area.DB, 1, 16);
        server.Start(IPAddress.Loopback, 0);
        return server;
    }

    private static async Task<Socket> ConnectSilentAsync(int port, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestTimeouts.Token());
        return socket;
    }

    /// <summary>True once the server closed the socket (a read returns 0 or fails).</summary>
    private static async Task<bool> ClosedByServerAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, TestTimeouts.Token()) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    // The deadlines are off where a test is about places, so only the admission rule can let the client in.
    [Fact]
    public async Task Snap7ClientGetsInWhileThirtyTwoIdleSocketsHoldEveryPlace()
    {
        Snap7Peer.EnsureInstalled();
        await using var server = StartServer(new S7ServerOptions { MaxClients = 32, MaxClientsPerAddress = 32, HandshakeTimeout = Timeout.InfiniteTimeSpan });
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 32; i++)
            {
                idle.Add(await ConnectSilentAsync(server.Port));
            }

            await Eventually.PollAsync(() => server.ClientCount == 32, "32 idle connections held");
            var report = await Snap7ClientProcess.RunAsync(server.Port, [Snap7ClientProcess.DbRead(1, 0, 4)]);
            Assert.True((bool)report["results"]![0]!["ok"]!, Snap7ClientProcess.Describe(report));
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task SocketThatNeverFinishesTheHandshakeIsClosedAtTheHandshakeDeadline()
    {
        await using var server = StartServer(new S7ServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(200) });
        using var silent = await ConnectSilentAsync(server.Port);
        Assert.True(await ClosedByServerAsync(silent));
        await Eventually.PollAsync(() => server.ClientCount == 0, "the silent connection gone");
    }

    [Fact]
    public async Task OneAddressHoldsAtMostItsShareAndItsNextConnectionReplacesItsOldest()
    {
        await using var server = StartServer(new S7ServerOptions { MaxClients = 32, MaxClientsPerAddress = 4, HandshakeTimeout = Timeout.InfiniteTimeSpan });
        var attacker = IPAddress.Parse("127.0.0.2");
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                sockets.Add(await ConnectSilentAsync(server.Port, attacker));
            }

            await Eventually.PollAsync(() => server.ClientCount == 4, "the address's four connections held");
            sockets.Add(await ConnectSilentAsync(server.Port, attacker));

            Assert.True(await ClosedByServerAsync(sockets[0]));
            await Eventually.PollAsync(() => server.ClientCount == 4, "still four connections from that address");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }
}
