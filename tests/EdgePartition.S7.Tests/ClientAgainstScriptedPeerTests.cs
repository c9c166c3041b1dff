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
        await client.ConnectAsync(TestTimeouts.Token());

        var error = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 0, new byte[4], TestTimeouts.Token()).AsTask());
        Assert.Equal(ProtocolErrorReason.MalformedFrame, error.Reason);
        Assert.Equal(ConnectionState.Faulted, client.State);
    }

    [Fact]
    public async Task ReplyWithAnotherPduReferenceIsNeverTakenForTheJob()
    {
        // A valid one-item read reply, but for a job that is not in flight (a late reply to an earlier job).
        await using var peer = await ScriptedPeer.StartAsync(static (_, reference) => ReadReply((ushort)(reference + 100), [0xAA, 0xBB, 0xCC, 0xDD]));
        // The job timeout must outlast the stale reply's trip through a busy machine, or it is never seen and counted.
        await using var client = NewClient(peer.Port, TimeSpan.FromSeconds(3));
        await client.ConnectAsync(TestTimeouts.Token());

        var error = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 0, new byte[4], TestTimeouts.Token()).AsTask());
        Assert.Equal(ProtocolErrorReason.Timeout, error.Reason);
        Assert.Equal(1, client.Counters.UnmatchedReplies);
        Assert.Equal(ConnectionState.Faulted, client.State);
    }

    [Fact]
    public async Task MatchingReplyIsDelivered()
    {
        await using var peer = await ScriptedPeer.StartAsync(static (_, reference) => ReadReply(reference, [1, 2, 3, 4]));
        await using var client = NewClient(peer.Port, TimeSpan.FromSeconds(10));
        await client.ConnectAsync(TestTimeouts.Token());
        var bytes = new byte[4];
        await client.ReadAsync(S7Area.DB, 1, 0, bytes, TestTimeouts.Token());
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, bytes);
        Assert.Equal(0x0301, peer.CalledTsap); // S7 basic connection (type 3), rack 0, slot 1
    }

    [Fact]
    public async Task PipelinedJobsAnsweredInReverseOrderLandInTheirPlaces()
    {
        await using var peer = await ScriptedPeer.StartAsync(static (job, reference) => ReadReply(reference, RequestedBytes(job)), parallelJobs: 3);
        await using var client = NewClient(peer.Port, TimeSpan.FromSeconds(10));
        await client.ConnectAsync(TestTimeouts.Token());
        var plan = new S7ReadPlanner().Plan([new S7ReadItem(S7Area.DB, 1, 0, 3 * S7ReadPlanner.MaxReadChunk(client.PduSize))], client.PduSize);
        Assert.Equal(3, plan.JobCount);
        Assert.Equal(3, client.ParallelJobs);
        var buffer = new byte[plan.BufferLength];

        // The peer reads all three jobs before it answers any (the window at work), then answers the last one first.
        await client.ReadAsync(plan, buffer, TestTimeouts.Token());

        for (int i = 0; i < buffer.Length; i++)
        {
            Assert.Equal((byte)i, buffer[i]);
        }

        Assert.Equal(3, client.Counters.RoundTrips);
        Assert.Equal(ConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task PipelinedPollFailsWithTheFirstBadReplyAndFaultsTheConnection()
    {
        // The middle job's reply carries two bytes fewer than asked for.
        await using var peer = await ScriptedPeer.StartAsync(static (job, reference) =>
        {
            var data = RequestedBytes(job);
            return ReadReply(reference, data[0] == 0 ? data : data.AsSpan(2).ToArray());
        }, parallelJobs: 3, answerInReverse: false);
        await using var client = NewClient(peer.Port, TimeSpan.FromSeconds(10));
        await client.ConnectAsync(TestTimeouts.Token());
        // One item per job. Offsets 0, 257 and 512: only the middle job's data starts with a non-zero byte.
        var plan = new S7ReadPlanner { GapBytes = -1, OptimizeGaps = false, MaxItemsPerJob = 1 }.Plan(
            [new S7ReadItem(S7Area.DB, 1, 0, 4), new S7ReadItem(S7Area.DB, 1, 257, 4), new S7ReadItem(S7Area.DB, 1, 512, 4)], client.PduSize);
        Assert.Equal(3, plan.JobCount);

        var error = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(plan, new byte[plan.BufferLength], TestTimeouts.Token()).AsTask());
        Assert.Equal(ProtocolErrorReason.UnexpectedReply, error.Reason);
        Assert.Equal(ConnectionState.Faulted, client.State);
    }

    /// <summary>The bytes a one-item read job asks for, each holding its DB offset (mod 256).</summary>
    private static byte[] RequestedBytes(byte[] job)
    {
        var item = job.AsSpan(7 + 10 + 2);
        int length = BinaryPrimitives.ReadUInt16BigEndian(item[4..]);
        int offset = ((item[9] << 16) | (item[10] << 8) | item[11]) >> 3;
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(offset + i);
        }

        return data;
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

        private ScriptedPeer(TcpListener listener, Func<byte[], ushort, byte[]> answer, int parallelJobs, bool answerInReverse)
        {
            _listener = listener;
            _serving = ServeAsync(answer, parallelJobs, answerInReverse);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public ushort CalledTsap { get; private set; }

        /// <summary>
        /// Grants <paramref name="parallelJobs"/> parallel jobs; with more than one, reads that many jobs before it
        /// answers any, then answers them last first (or in order).
        /// </summary>
        public static Task<ScriptedPeer> StartAsync(Func<byte[], ushort, byte[]> answer, int parallelJobs = 1, bool answerInReverse = true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new ScriptedPeer(listener, answer, parallelJobs, answerInReverse));
        }

        private async Task ServeAsync(Func<byte[], ushort, byte[]> answer, int parallelJobs, bool answerInReverse)
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Default);
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
                BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(21), (ushort)parallelJobs); // AmQ calling
                BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(23), (ushort)parallelJobs); // AmQ called
                await stream.WriteAsync(reply, timeout.Token);
                var jobs = new byte[parallelJobs][];
                while (true)
                {
                    for (int i = 0; i < jobs.Length; i++)
                    {
                        jobs[i] = await ReadFrameAsync(stream, timeout.Token);
                    }

                    for (int i = 0; i < jobs.Length; i++)
                    {
                        var job = jobs[answerInReverse ? jobs.Length - 1 - i : i];
                        await stream.WriteAsync(answer(job, BinaryPrimitives.ReadUInt16BigEndian(job.AsSpan(7 + 4))), timeout.Token);
                    }
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
            await _serving.WaitAsync(TestTimeouts.Default);
        }
    }
}
