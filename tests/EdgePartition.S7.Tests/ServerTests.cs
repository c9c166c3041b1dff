using System.Net;
using System.Net.Sockets;
using EdgePartition.S7.Client;
using EdgePartition.S7.Server;

namespace EdgePartition.S7.Tests;

/// <summary>Our server (virtual PLC) with our client and with raw sockets that misbehave.</summary>
public sealed class ServerTests
{
    private static S7Server StartServer(S7ServerOptions? options = null, int dbSize = 1024)
    {
        var server = new S7Server(options);
        server.RegisterArea(S7Area.DB, 1, dbSize);
        server.RegisterArea(S7Area.M, 0, 64);
        server.Start(IPAddress.Loopback, 0);
        return server;
    }

    private static S7Client NewClient(S7Server server, TimeSpan? jobTimeout = null) => new(new S7ClientOptions
    {
        Host = "127.0.0.1",
        Port = server.Port,
        JobTimeout = jobTimeout ?? TimeSpan.FromSeconds(10),
    });

    [Fact]
    public async Task ServesReadsWritesAndRaisesEvents()
    {
        await using var server = StartServer();
        var written = new TaskCompletionSource<S7ServerAccessEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.AreaWritten += (_, e) => written.TrySetResult(e);
        server.ClientConnected += (_, _) => connected.TrySetResult();
        await using var client = NewClient(server);

        await client.WriteValueAsync(S7Address.Parse("DB1.DBD10"), S7DataType.Real, 3.25f, cancellationToken: TestTimeouts.Token());
        await client.WriteValueAsync(S7Address.Parse("M3.6"), S7DataType.Bool, true, cancellationToken: TestTimeouts.Token());

        await connected.Task.WaitAsync(TestTimeouts.Default);
        var access = await written.Task.WaitAsync(TestTimeouts.Default);
        Assert.Equal((S7Area.DB, 1, 10, 4, S7ReturnCode.Success), (access.Area, access.Number, access.Offset, access.Length, access.Result));
        var bytes = new byte[4];
        server.ReadArea(S7Area.DB, 1, 10, bytes);
        Assert.Equal(3.25f, S7ValueCodec.GetReal(bytes));
        Assert.Equal(3.25f, await client.ReadValueAsync(S7Address.Parse("DB1.DBD10"), S7DataType.Real, cancellationToken: TestTimeouts.Token()));
        Assert.Equal(true, await client.ReadValueAsync(S7Address.Parse("M3.6"), S7DataType.Bool, cancellationToken: TestTimeouts.Token()));
        Assert.Equal(1, server.ClientCount);
    }

    [Fact]
    public async Task ServesLargeAndPlannedReadsAtEveryPduSize()
    {
        await using var server = StartServer(new S7ServerOptions { MaxPduSize = 240 }, dbSize: 5000);
        var image = Enumerable.Range(0, 5000).Select(i => (byte)(i * 3)).ToArray();
        server.WriteArea(S7Area.DB, 1, 0, image);
        await using var client = NewClient(server);

        var all = new byte[5000];
        await client.ReadAsync(S7Area.DB, 1, 0, all, TestTimeouts.Token());
        Assert.Equal(240, client.PduSize);
        Assert.Equal(image, all);

        var items = Enumerable.Range(0, 60).Select(i => new S7ReadItem(S7Area.DB, 1, i * 83, 1 + (i % 7))).ToArray();
        var plan = new S7ReadPlanner().Plan(items, client.PduSize);
        var buffer = new byte[plan.BufferLength];
        await client.ReadAsync(plan, buffer, TestTimeouts.Token());
        for (int i = 0; i < items.Length; i++)
        {
            Assert.Equal(image.AsSpan(items[i].Offset, items[i].Length).ToArray(), buffer.AsSpan(plan.GetItemOffset(i), items[i].Length).ToArray());
        }
    }

    [Fact]
    public async Task RejectsClientsBeyondTheMaximum()
    {
        await using var server = StartServer(new S7ServerOptions { MaxClients = 1 });
        var rejected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ClientRejected += (_, _) => rejected.TrySetResult();
        await using var first = NewClient(server);
        await first.ConnectAsync(TestTimeouts.Token());
        await using var second = NewClient(server);

        var error = await Assert.ThrowsAsync<S7ProtocolException>(() => second.ConnectAsync(TestTimeouts.Token()).AsTask());
        Assert.Contains(error.Reason, new[] { ProtocolErrorReason.ConnectionClosed, ProtocolErrorReason.ConnectionFailed });
        await rejected.Task.WaitAsync(TestTimeouts.Default);
        await first.ReadAsync(S7Area.DB, 1, 0, new byte[4], TestTimeouts.Token());
    }

    [Fact]
    public async Task GarbageAndHalfSentFramesDoNotDisturbOtherClients()
    {
        await using var server = StartServer();
        var disconnected = new TaskCompletionSource<S7ServerClientEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ClientDisconnected += (_, e) => disconnected.TrySetResult(e);
        await using var good = NewClient(server);
        await good.ConnectAsync(TestTimeouts.Token());

        using var halfSent = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await halfSent.ConnectAsync(IPAddress.Loopback, server.Port, TestTimeouts.Token());
        await halfSent.SendAsync(new byte[] { 0x03, 0x00, 0x00, 0x16, 0x11 }, SocketFlags.None, TestTimeouts.Token());

        using var garbage = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await garbage.ConnectAsync(IPAddress.Loopback, server.Port, TestTimeouts.Token());
        await garbage.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), SocketFlags.None, TestTimeouts.Token());

        var gone = await disconnected.Task.WaitAsync(TestTimeouts.Default);
        Assert.IsType<S7ProtocolException>(gone.Error);
        Assert.Equal(1, server.ProtocolErrors);
        for (int i = 0; i < 3; i++)
        {
            await good.WriteAsync(S7Address.Db(1, i), new byte[] { (byte)i }, TestTimeouts.Token());
        }

        Assert.Equal(ConnectionState.Connected, good.State);
        Assert.Equal(2, server.ClientCount); // the good client and the half-sent one, which only stalls itself
    }

    [Fact]
    public async Task TimesOutOnALockedAreaThenReconnects()
    {
        await using var server = StartServer(new S7ServerOptions { AreaLockTimeout = TimeSpan.FromSeconds(30) });
        await using var client = NewClient(server, jobTimeout: TimeSpan.FromMilliseconds(300));
        await client.ConnectAsync(TestTimeouts.Token());
        server.LockArea(S7Area.DB, 1);
        try
        {
            var error = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 0, new byte[2], TestTimeouts.Token()).AsTask());
            Assert.Equal(ProtocolErrorReason.Timeout, error.Reason);
            Assert.Equal(ConnectionState.Faulted, client.State);
        }
        finally
        {
            server.UnlockArea(S7Area.DB, 1);
        }

        server.WriteArea(S7Area.DB, 1, 0, new byte[] { 0x12, 0x34 });
        var bytes = new byte[2];
        await client.ReadAsync(S7Area.DB, 1, 0, bytes, TestTimeouts.Token());
        Assert.Equal(new byte[] { 0x12, 0x34 }, bytes);
        Assert.Equal(2, client.Counters.Connects);
        Assert.Equal(1, client.Counters.Timeouts);
    }

    [Fact]
    public async Task ParallelJobsFromManyCallersGetTheirOwnReplies()
    {
        await using var server = StartServer(dbSize: 4096);
        var image = Enumerable.Range(0, 4096).Select(i => (byte)(i * 11)).ToArray();
        server.WriteArea(S7Area.DB, 1, 0, image);
        await using var client = NewClient(server);
        await client.ConnectAsync(TestTimeouts.Token());
        Assert.True(client.ParallelJobs > 1);

        var reads = Enumerable.Range(0, 40).Select(async i =>
        {
            var bytes = new byte[50 + i];
            await client.ReadAsync(S7Area.DB, 1, i * 97, bytes, TestTimeouts.Token());
            Assert.Equal(image.AsSpan(i * 97, bytes.Length).ToArray(), bytes);
        });
        await Task.WhenAll(reads).WaitAsync(TestTimeouts.Default);
        Assert.Equal(0, client.Counters.UnmatchedReplies);
    }

    [Fact]
    public async Task WriteHandlerCanRefuseWritesBeforeTheyTouchTheArea()
    {
        await using var server = StartServer(new S7ServerOptions { WriteHandler = new RefuseDb1() });
        await using var client = NewClient(server);
        var refused = await Assert.ThrowsAsync<S7ProtocolException>(() => client.WriteAsync(S7Address.Db(1, 0), new byte[] { 9 }, TestTimeouts.Token()).AsTask());
        Assert.Equal(ProtocolErrorReason.AccessDenied, refused.Reason);
        Assert.Contains("PUT/GET", refused.Message, StringComparison.Ordinal);
        var bytes = new byte[1];
        server.ReadArea(S7Area.DB, 1, 0, bytes);
        Assert.Equal(0, bytes[0]);

        await client.WriteAsync(S7Address.Parse("MB1"), new byte[] { 7 }, TestTimeouts.Token());
        server.ReadArea(S7Area.M, 0, 1, bytes);
        Assert.Equal(7, bytes[0]);
    }

    private sealed class RefuseDb1 : IS7WriteHandler
    {
        public S7WriteDecision OnWrite(in S7WriteRequest request) =>
            request.Area == S7Area.DB ? S7WriteDecision.Reject(S7ReturnCode.AccessDenied) : S7WriteDecision.Apply;
    }

    [Fact]
    public async Task ReportsMissingAreasAndOutOfRangeItems()
    {
        await using var server = StartServer(dbSize: 10);
        await using var client = NewClient(server);
        var missing = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 2, 0, new byte[1], TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ReturnCode.ObjectDoesNotExist, missing.ItemReturnCode);
        var range = await Assert.ThrowsAsync<S7ProtocolException>(() => client.WriteAsync(S7Address.Db(1, 9), new byte[2], TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ReturnCode.AddressOutOfRange, range.ItemReturnCode);
        server.UnregisterArea(S7Area.DB, 1);
        var gone = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 0, new byte[1], TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ReturnCode.ObjectDoesNotExist, gone.ItemReturnCode);
    }
}
