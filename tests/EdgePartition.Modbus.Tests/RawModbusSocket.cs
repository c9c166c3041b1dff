using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EdgePartition.Modbus.Tests;

/// <summary>
/// A bare TCP socket speaking (or misspeaking) Modbus TCP by hand: for garbage, half frames and scripted devices.
/// </summary>
internal sealed class RawModbusSocket(Socket socket) : IDisposable
{
    public Socket Socket { get; } = socket;

    public static async Task<RawModbusSocket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WithTimeout();
        return new RawModbusSocket(socket);
    }

    public static byte[] Frame(ushort transactionId, byte unitId, params byte[] pdu)
    {
        var frame = new byte[7 + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)(pdu.Length + 1));
        frame[6] = unitId;
        pdu.CopyTo(frame, 7);
        return frame;
    }

    public async Task SendAsync(byte[] bytes) => await Socket.SendAsync(bytes, SocketFlags.None).WithTimeout();

    /// <summary>Reads one whole frame: (transaction id, unit id, PDU); null when the peer closed the connection.</summary>
    public async Task<(ushort TransactionId, byte UnitId, byte[] Pdu)?> ReceiveFrameAsync()
    {
        var header = new byte[7];
        if (!await ReceiveExactlyAsync(header))
        {
            return null;
        }

        var pdu = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)) - 1];
        if (!await ReceiveExactlyAsync(pdu))
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt16BigEndian(header), header[6], pdu);
    }

    /// <summary>True once the peer has closed the connection (a read returns 0 or the connection was reset).</summary>
    public async Task<bool> WaitForCloseAsync()
    {
        var buffer = new byte[512];
        try
        {
            while (true)
            {
                var read = await Socket.ReceiveAsync(buffer, SocketFlags.None).WithTimeout();
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => Socket.Dispose();

    private async Task<bool> ReceiveExactlyAsync(byte[] buffer)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = await Socket.ReceiveAsync(buffer.AsMemory(done), SocketFlags.None).WithTimeout();
            if (read == 0)
            {
                return false;
            }

            done += read;
        }

        return true;
    }
}
