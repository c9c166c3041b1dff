using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using EdgePartition.S7.Client;

namespace EdgePartition.S7.Tests;

/// <summary>
/// Our client against a scripted peer that misbehaves on purpose after a correct handshake: the only way to reach
/// the malformed-reply and stale-reply branches.
/// </summary>
public sealed class ClientAgainstScriptedPeerTests
{
    [Fact]
    public async Task MalformedReplyFaultsTheConnectionWithTheProtocolError()
    {
        await using var peer = await ScriptedPeer.StartAsync(static (_, reference) => Convert.FromHexString("0300000B02F080FFFFFFFF"));
        await using var client = NewClient(peer.Port, TimeSpan.FromSeconds(10));
        await client.ConnectAsync(S7TestTimeouts.Token());

        var error = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 0, new byte[4], S7TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ErrorReason.MalformedFrame, error.Reason);
        Assert.Equal(S7ConnectionState.Faulted, client.State);
    }

    [Fact]
    public async Task ReplyWithAnotherPduReferenceIsNeverTakenForTheJob()
    {
        // A valid one-item read reply, but for a job that is not in flight (a late reply to an earlier job).
        await using var peer = await ScriptedPeer.StartAsync(static (_, reference) => ReadReply((ushort)(reference + 100), [0xAA, 0xBB, 0xCC, 0xDD]));
        // The job timeout must outlast the stale reply's trip through a busy machine, or it is never seen and counted.
        await using var client = NewClient(peer.Port, TimeSpan.FromSeconds(3));
        await client.ConnectAsync(S7TestTimeouts.Token());

        var error = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 0, new byte[4], S7TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ErrorReason.Timeout, error.Reason);
        Assert.Equal(1, client.Counters.UnmatchedReplies);
        Assert.Equal(S7ConnectionState.Faulted, client.State);
    }

    [Fact]
    public async Task MatchingReplyIsDelivered()
    {
        await using var peer = await ScriptedPeer.StartAsync(static (_, reference) => ReadReply(reference, [1, 2, 3, 4]));
        await using var client = NewClient(peer.Port, TimeSpan.FromSeconds(10));
        await client.ConnectAsync(S7TestTimeouts.Token());
        var bytes = new byte[4];
        await client.ReadAsync(S7Area.DB, 1, 0, bytes, S7TestTimeouts.Token());
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, bytes);
        Assert.Equal(0x0301, peer.CalledTsap); // S7 basic connection (type 3), rack 0, slot 1
    }

    private static S7Client NewClient(int port, TimeSpan jobTimeout) => new(new S7ClientOptions
    {
        Host = "127.0.0.1",
        Port = port,
        Rack = 0,
        Slot = 1,
        JobTimeout = jobTimeout,
        AutoReconnect = false,
    });

    private static byte[] ReadReply(ushort reference, byte[] data)
    {
        int pduLength = 12 + 2 + 4 + data.Length;
        var frame = new byte[7 + pduLength];
        Convert.FromHexString("030000000" + "2F080").CopyTo(frame, 0);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)frame.Length);
        var pdu = frame.AsSpan(7);
        pdu[0] = 0x32;
        pdu[1] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[4..], reference);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[6..], 2);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[8..], (ushort)(4 + data.Length));
        pdu[12] = 0x04;
        pdu[13] = 1;
        pdu[14] = 0xFF;
        pdu[15] = 0x04;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[16..], (ushort)(data.Length * 8));
        data.CopyTo(pdu[18..]);
        return frame;
    }

    /// <summary>Answers CR and Setup Communication correctly, then every job with <c>answer(job, pduReference)</c>.</summary>
    private sealed class ScriptedPeer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serving;

        private ScriptedPeer(TcpListener listener, Func<byte[], ushort, byte[]> answer)
        {
            _listener = listener;
            _serving = ServeAsync(answer);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public ushort CalledTsap { get; private set; }

        public static Task<ScriptedPeer> StartAsync(Func<byte[], ushort, byte[]> answer)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new ScriptedPeer(listener, answer));
        }

        private async Task ServeAsync(Func<byte[], ushort, byte[]> answer)
        {
            using var timeout = new CancellationTokenSource(S7TestTimeouts.Default);
            try
            {
                using var socket = await _listener.AcceptSocketAsync(timeout.Token);
                await using var stream = new NetworkStream(socket);
                var request = await ReadFrameAsync(stream, timeout.Token);
                CalledTsap = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(20));
                await stream.WriteAsync(Convert.FromHexString("0300001611D00001000100C0010AC1020100C2020301"), timeout.Token);
                var setup = await ReadFrameAsync(stream, timeout.Token);
                var reply = Convert.FromHexString("0300001B02F080320300000000000800000000F0000001000103C0");
                reply.AsSpan(7 + 4, 2).Clear();
                setup.AsSpan(7 + 4, 2).CopyTo(reply.AsSpan(7 + 4));
                await stream.WriteAsync(reply, timeout.Token);
                while (true)
                {
                    var job = await ReadFrameAsync(stream, timeout.Token);
                    await stream.WriteAsync(answer(job, BinaryPrimitives.ReadUInt16BigEndian(job.AsSpan(7 + 4))), timeout.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or EndOfStreamException or ObjectDisposedException)
            {
                // The client closed the connection (or the test ended): the script is over.
            }
        }

        private static async Task<byte[]> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            var head = new byte[4];
            await stream.ReadExactlyAsync(head, cancellationToken);
            var frame = new byte[BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(2))];
            head.CopyTo(frame, 0);
            await stream.ReadExactlyAsync(frame.AsMemory(4), cancellationToken);
            return frame;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving.WaitAsync(S7TestTimeouts.Default);
        }
    }
}
