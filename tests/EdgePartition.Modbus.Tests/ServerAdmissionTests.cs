using System.Net;
using System.Net.Sockets;
using EdgePartition.Modbus.Server;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Modbus.Tests;

/// <summary>
/// Sockets held without being used cannot lock clients out of the Modbus server: a silent socket gives way to a new
/// client, a socket that never sends a request is closed at a short deadline, and one address holds at most its share.
/// </summary>
public sealed class ServerAdmissionTests
{
    private static ModbusServerOptions Loopback() => new() { Address = IPAddress.Loopback, Port = 0 };

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

    [Fact]
    public async Task PymodbusClientGetsInWhileSixtyFourIdleSocketsHoldEveryPlace()
    {
        await using var server = new ModbusTcpServer(Loopback() with { MaxClients = 64, MaxClientsPerAddress = 64, FirstRequestTimeout = TimeSpan.FromHours(1) });
        server.Start();
        server.Store.Update(0, static (start, tables) => tables.HoldingRegisters[start] = 4242);
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 64; i++)
            {
                idle.Add(await ConnectSilentAsync(server.Port));
            }

            await Eventually.PollAsync(() => server.ClientCount == 64, "64 idle connections held");
            var report = await PymodbusClientProcess.RunAsync(server.Port, [PymodbusClientProcess.Holding(0, 1)]);
            var result = report["results"]![0]!;
            Assert.True((bool)result["ok"]!, report.ToJsonString());
            Assert.Equal(4242, (int)result["registers"]![0]!);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task SocketThatSendsNoRequestIsClosedAtTheFirstRequestDeadline()
    {
        await using var server = new ModbusTcpServer(Loopback() with { FirstRequestTimeout = TimeSpan.FromMilliseconds(200) });
        server.Start();
        using var silent = await ConnectSilentAsync(server.Port);
        Assert.True(await ClosedByServerAsync(silent));
        Assert.Equal(1, server.Counters.IdleDisconnects);
    }

    [Fact]
    public async Task OneAddressHoldsAtMostItsShareAndItsNextConnectionReplacesItsOldest()
    {
        await using var server = new ModbusTcpServer(Loopback() with { MaxClientsPerAddress = 4, FirstRequestTimeout = TimeSpan.FromHours(1) });
        server.Start();
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
