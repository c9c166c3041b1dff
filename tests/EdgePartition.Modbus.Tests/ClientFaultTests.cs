using System.Diagnostics;
using EdgePartition.Modbus.Client;
using Microsoft.Extensions.Time.Testing;

namespace EdgePartition.Modbus.Tests;

/// <summary>
/// The client against a scripted device: replies that must be rejected, not misread; timeouts that must reopen the
/// connection; exception codes; pipelining with replies out of order; connect failures and backoff.
/// </summary>
public sealed class ClientFaultTests : IDisposable
{
    private readonly ScriptedDevice _device = new();

    public void Dispose() => _device.Dispose();

    private ModbusTcpClient NewClient(int maxInFlight = 1, TimeSpan? requestTimeout = null, TimeProvider? time = null, byte unitId = 1) =>
        new(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = _device.Port,
            UnitId = unitId,
            MaxInFlight = maxInFlight,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
            TimeProvider = time ?? TimeProvider.System,
        });

    /// <summary>A correct FC 3 reply for a one-register read.</summary>
    private static byte[] OneRegister(ushort transactionId, byte unitId, ushort value) =>
        RawModbusSocket.Frame(transactionId, unitId, 3, 2, (byte)(value >> 8), (byte)value);

    [Fact]
    public async Task DiscardsReplyWithUnknownTransactionIdAndTakesTheRightOne()
    {
        await using var client = NewClient();
        var read = new ushort[1];
        var pending = client.ReadHoldingRegistersAsync(0, read).AsTask();
        using var peer = await _device.AcceptAsync();
        var request = (await peer.ReceiveFrameAsync())!.Value;
        Assert.Equal([3, 0, 0, 0, 1], request.Pdu);
        Assert.Equal(1, request.UnitId);

        await peer.SendAsync(OneRegister((ushort)(request.TransactionId + 1), 1, 666));
        await peer.SendAsync(OneRegister(request.TransactionId, 1, 42));
        await pending.WithTimeout();
        Assert.Equal(42, read[0]);
        Assert.Equal(1, client.Counters.RejectedFrames);
        Assert.Equal(ConnectionState.Connected, client.State);
    }

    public static TheoryData<string, byte, byte[]> MismatchedReplies => new()
    {
        { "wrong unit id", 2, [3, 2, 0, 42] },
        { "wrong function code", 1, [4, 2, 0, 42] },
        { "wrong byte count", 1, [3, 4, 0, 42, 0, 43] },
        { "byte count beyond the data", 1, [3, 2, 0] },
        { "empty data", 1, [3] },
        { "exception reply with extra byte", 1, [0x83, 2, 0] },
    };

    [Theory]
    [MemberData(nameof(MismatchedReplies))]
    public async Task RejectsMismatchedReplyAndReconnects(string name, byte unitId, byte[] pdu)
    {
        await using var client = NewClient();
        var read = new ushort[1];
        var pending = client.ReadHoldingRegistersAsync(0, read).AsTask();
        using var peer = await _device.AcceptAsync();
        var request = (await peer.ReceiveFrameAsync())!.Value;
        await peer.SendAsync(RawModbusSocket.Frame(request.TransactionId, unitId, pdu));

        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.True(error.Reason == ProtocolErrorReason.UnexpectedReply, $"{name}: {error.Reason} {error.Message}");
        Assert.Equal(0, read[0]);
        Assert.True(await peer.WaitForCloseAsync(), name);

        // The next request opens a new connection.
        var next = client.ReadHoldingRegistersAsync(0, read).AsTask();
        using var second = await _device.AcceptAsync();
        var again = (await second.ReceiveFrameAsync())!.Value;
        await second.SendAsync(OneRegister(again.TransactionId, 1, 7));
        await next.WithTimeout();
        Assert.Equal(7, read[0]);
        Assert.Equal(2, client.Counters.Connects);
    }

    [Fact]
    public async Task RejectsWriteEchoThatDiffersFromTheRequest()
    {
        await using var client = NewClient();
        var pending = client.WriteSingleRegisterAsync(5, 100).AsTask();
        using var peer = await _device.AcceptAsync();
        var request = (await peer.ReceiveFrameAsync())!.Value;
        Assert.Equal([6, 0, 5, 0, 100], request.Pdu);
        await peer.SendAsync(RawModbusSocket.Frame(request.TransactionId, 1, 6, 0, 5, 0, 101));
        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.UnexpectedReply, error.Reason);
    }

    [Fact]
    public async Task DropsConnectionWhenReplyHeaderIsMalformed()
    {
        await using var client = NewClient();
        var pending = client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask();
        using var peer = await _device.AcceptAsync();
        await peer.ReceiveFrameAsync();
        await peer.SendAsync([0, 0, 0, 0, 0x7F, 0xFF, 1, 3]); // length 32767
        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.ConnectionClosed, error.Reason);
        Assert.Equal(ProtocolErrorReason.MalformedFrame, Assert.IsType<ModbusProtocolException>(error.InnerException).Reason);
        Assert.True(await peer.WaitForCloseAsync());
    }

    [Fact]
    public async Task TimeoutClosesTheConnectionSoALateReplyIsNeverMisread()
    {
        await using var client = NewClient(requestTimeout: TimeSpan.FromMilliseconds(300));
        var read = new ushort[1];
        var pending = client.ReadHoldingRegistersAsync(0, read).AsTask();
        using var peer = await _device.AcceptAsync();
        var late = (await peer.ReceiveFrameAsync())!.Value;

        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.Timeout, error.Reason);
        Assert.True(error.IsRetryable);
        Assert.Equal(1, client.Counters.Timeouts);
        Assert.True(await peer.WaitForCloseAsync());

        // The late reply goes to a closed connection; the next request is answered on a new one.
        try
        {
            await peer.Socket.SendAsync(OneRegister(late.TransactionId, 1, 666));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Already reset: exactly the point.
        }

        var next = client.ReadHoldingRegistersAsync(0, read).AsTask();
        using var second = await _device.AcceptAsync();
        var request = (await second.ReceiveFrameAsync())!.Value;
        await second.SendAsync(OneRegister(request.TransactionId, 1, 8));
        await next.WithTimeout();
        Assert.Equal(8, read[0]);
    }

    [Fact]
    public async Task TimesOutEvenWhenTimersFireBeforeTheClockSaysTheDeadlineHasCome()
    {
        // This clock runs at 80 % speed: every timer fires "early" by its reading and has to be re-armed.
        await using var client = NewClient(requestTimeout: TimeSpan.FromMilliseconds(100), time: new SlowClock());
        var pending = client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask();
        using var peer = await _device.AcceptAsync();
        await peer.ReceiveFrameAsync();
        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.Timeout, error.Reason);
    }

    [Fact]
    public async Task CancellationFailsTheRequestAndDropsTheConnection()
    {
        await using var client = NewClient();
        using var cts = new CancellationTokenSource();
        var pending = client.ReadHoldingRegistersAsync(0, new ushort[1], cts.Token).AsTask();
        using var peer = await _device.AcceptAsync();
        await peer.ReceiveFrameAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending).WithTimeout();
        Assert.True(await peer.WaitForCloseAsync());
    }

    [Theory]
    [InlineData(ModbusExceptionCode.IllegalFunction, "illegal function", false)]
    [InlineData(ModbusExceptionCode.IllegalDataAddress, "illegal data address", false)]
    [InlineData(ModbusExceptionCode.IllegalDataValue, "illegal data value", false)]
    [InlineData(ModbusExceptionCode.ServerDeviceFailure, "server device failure", false)]
    [InlineData(ModbusExceptionCode.ServerDeviceBusy, "busy", true)]
    [InlineData(ModbusExceptionCode.GatewayPathUnavailable, "gateway path unavailable", true)]
    [InlineData(ModbusExceptionCode.GatewayTargetFailedToRespond, "gateway target device failed to respond", true)]
    public async Task ExceptionRepliesBecomeTypedErrors(ModbusExceptionCode code, string text, bool retryable)
    {
        await using var client = NewClient(unitId: 17);
        var pending = client.WriteMultipleCoilsAsync(3, new[] { true, false }).AsTask();
        using var peer = await _device.AcceptAsync();
        var request = (await peer.ReceiveFrameAsync())!.Value;
        Assert.Equal([0x0F, 0, 3, 0, 2, 1, 1], request.Pdu);
        await peer.SendAsync(RawModbusSocket.Frame(request.TransactionId, 17, 0x8F, (byte)code));

        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.PeerRejected, error.Reason);
        Assert.Equal(code, error.ExceptionCode);
        Assert.Equal(ModbusFunction.WriteMultipleCoils, error.Function);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.False(error.ClosedConnection);
    }

    [Fact]
    public async Task MatchesPipelinedRepliesArrivingOutOfOrder()
    {
        await using var client = NewClient(maxInFlight: 4);
        var plan = Planning.ModbusReadPlanner.Plan([
            new(ModbusTable.HoldingRegisters, 0, 1), new(ModbusTable.HoldingRegisters, 100, 1),
            new(ModbusTable.HoldingRegisters, 200, 1), new(ModbusTable.HoldingRegisters, 300, 1)],
            new Planning.ModbusReadPlannerOptions { MaxRegisterGap = 0 });
        var buffer = new ushort[plan.BufferLength];
        var pending = client.ReadAsync(plan, buffer).AsTask();
        using var peer = await _device.AcceptAsync();

        // All four arrive before any reply: that is the in-flight window at work.
        var requests = new List<(ushort TransactionId, byte UnitId, byte[] Pdu)>();
        for (var i = 0; i < 4; i++)
        {
            requests.Add((await peer.ReceiveFrameAsync())!.Value);
        }

        Assert.Equal(4, requests.Select(r => r.TransactionId).Distinct().Count());
        requests.Reverse();
        foreach (var request in requests)
        {
            var address = (ushort)((request.Pdu[1] << 8) | request.Pdu[2]);
            await peer.SendAsync(OneRegister(request.TransactionId, 1, (ushort)(address + 1)));
        }

        await pending.WithTimeout();
        Assert.Equal([1, 101, 201, 301], buffer);
    }

    [Fact]
    public async Task PipelinedPlanFailsOnAMismatchedReplyAfterDrainingTheWindowAndReconnects()
    {
        await using var client = NewClient(maxInFlight: 3);
        var plan = Planning.ModbusReadPlanner.Plan([
            new(ModbusTable.HoldingRegisters, 0, 1), new(ModbusTable.HoldingRegisters, 100, 1),
            new(ModbusTable.HoldingRegisters, 200, 1), new(ModbusTable.HoldingRegisters, 300, 1)],
            new Planning.ModbusReadPlannerOptions { MaxRegisterGap = 0 });
        var buffer = new ushort[plan.BufferLength];
        var pending = client.ReadAsync(plan, buffer, new ModbusExceptionCode[plan.Requests.Length]).AsTask();
        using var peer = await _device.AcceptAsync();
        var first = (await peer.ReceiveFrameAsync())!.Value;
        var second = (await peer.ReceiveFrameAsync())!.Value;
        await peer.ReceiveFrameAsync();

        // The first reply is fine; the second comes back with another function code: the device and we disagree.
        await peer.SendAsync(OneRegister(first.TransactionId, 1, 11));
        await peer.SendAsync(RawModbusSocket.Frame(second.TransactionId, 1, 4, 2, 0, 1));

        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.UnexpectedReply, error.Reason);
        Assert.Equal(11, buffer[0]);
        Assert.Equal(0, client.InFlight);
        Assert.True(await peer.WaitForCloseAsync());
        Assert.Equal(1, client.Counters.RejectedFrames);

        // The next poll runs on a new connection with the whole window.
        var next = client.ReadAsync(plan, buffer).AsTask();
        using var again = await _device.AcceptAsync();
        for (var i = 0; i < 3; i++)
        {
            var request = (await again.ReceiveFrameAsync())!.Value;
            await again.SendAsync(OneRegister(request.TransactionId, 1, (ushort)(i + 1)));
        }

        var last = (await again.ReceiveFrameAsync())!.Value;
        await again.SendAsync(OneRegister(last.TransactionId, 1, 4));
        await next.WithTimeout();
        Assert.Equal([1, 2, 3, 4], buffer);
        Assert.Equal(2, client.Counters.Connects);
    }

    [Fact]
    public async Task PipelinedPlanTakesOnlyTheSlotsOtherRequestsLeaveFree()
    {
        // Another caller holds one of the two slots: the plan must go on with the one left rather than wait for a
        // second while holding the first (two plans doing that would wait for each other forever).
        await using var client = NewClient(maxInFlight: 2);
        var other = client.ReadHoldingRegistersAsync(900, new ushort[1]).AsTask();
        using var peer = await _device.AcceptAsync();
        var held = (await peer.ReceiveFrameAsync())!.Value;

        var plan = Planning.ModbusReadPlanner.Plan([
            new(ModbusTable.HoldingRegisters, 0, 1), new(ModbusTable.HoldingRegisters, 100, 1), new(ModbusTable.HoldingRegisters, 200, 1)],
            new Planning.ModbusReadPlannerOptions { MaxRegisterGap = 0 });
        var buffer = new ushort[plan.BufferLength];
        var pending = client.ReadAsync(plan, buffer).AsTask();
        for (var i = 0; i < 3; i++)
        {
            var request = (await peer.ReceiveFrameAsync())!.Value;
            Assert.Equal(2, client.InFlight); // the held request and exactly one of the plan's
            await peer.SendAsync(OneRegister(request.TransactionId, 1, (ushort)(10 + i)));
        }

        await pending.WithTimeout();
        Assert.Equal([10, 11, 12], buffer);
        Assert.False(other.IsCompleted);
        await peer.SendAsync(OneRegister(held.TransactionId, 1, 9));
        await other.WithTimeout();
    }

    [Fact]
    public async Task NeverSendsMoreThanTheWindow()
    {
        await using var client = NewClient(maxInFlight: 2);
        var first = client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask();
        var second = client.ReadHoldingRegistersAsync(1, new ushort[1]).AsTask();
        var third = client.ReadHoldingRegistersAsync(2, new ushort[1]).AsTask();
        using var peer = await _device.AcceptAsync();
        var a = (await peer.ReceiveFrameAsync())!.Value;
        var b = (await peer.ReceiveFrameAsync())!.Value;
        Assert.Equal(2, client.InFlight);
        Assert.False(third.IsCompleted);

        await peer.SendAsync(OneRegister(a.TransactionId, 1, 1));
        var c = (await peer.ReceiveFrameAsync())!.Value; // sent only after a reply freed a slot
        await peer.SendAsync(OneRegister(b.TransactionId, 1, 2));
        await peer.SendAsync(OneRegister(c.TransactionId, 1, 3));
        await Task.WhenAll(first, second, third).WithTimeout();
    }

    [Fact]
    public async Task DisposeFailsRequestsInFlightAndRefusesNewOnes()
    {
        var client = NewClient();
        var states = new List<string>();
        client.StateChanged += (_, change) =>
        {
            lock (states)
            {
                states.Add($"{change.Previous}->{change.Current}");
            }
        };
        var pending = client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask();
        using var peer = await _device.AcceptAsync();
        await peer.ReceiveFrameAsync();
        await client.DisposeAsync();

        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => pending).WithTimeout();
        Assert.Equal(ProtocolErrorReason.ConnectionClosed, error.Reason);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask()).WithTimeout();
        Assert.Equal(ConnectionState.Closed, client.State);
        Assert.Equal(["Disconnected->Connecting", "Connecting->Connected", "Connected->Closed"], states);
        Assert.True(await peer.WaitForCloseAsync());
    }

    [Fact]
    public async Task BacksOffFromADeviceThatAcceptsButNeverAnswers()
    {
        // Connections land in the listener's accept queue and stay silent: nothing is ever answered.
        await using var client = new ModbusTcpClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = _device.Port,
            RequestTimeout = TimeSpan.FromMilliseconds(150),
            ReconnectMinDelay = TimeSpan.FromMinutes(1),
            ReconnectMaxDelay = TimeSpan.FromMinutes(2),
        });
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask()).WithTimeout();
            Assert.Equal(ProtocolErrorReason.Timeout, error.Reason);
            Assert.True(error.ClosedConnection);
        }

        Assert.Equal(ConnectionState.BackingOff, client.State);
        var refused = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask()).WithTimeout();
        Assert.Equal(ProtocolErrorReason.NotConnected, refused.Reason);
        Assert.Equal(2, client.Counters.Connects);
    }

    [Fact]
    public async Task BacksOffAfterFailedConnects()
    {
        var time = new FakeTimeProvider();
        var port = _device.Port;
        _device.Dispose(); // nothing listens there now: connects are refused
        await using var client = new ModbusTcpClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ReconnectMinDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(8),
            TimeProvider = time,
        });

        var failed = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ConnectAsync().AsTask()).WithTimeout();
        Assert.Equal(ProtocolErrorReason.ConnectionFailed, failed.Reason);
        Assert.Equal(ConnectionState.BackingOff, client.State);

        var waiting = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask()).WithTimeout();
        Assert.Equal(ProtocolErrorReason.NotConnected, waiting.Reason);
        Assert.Equal(1, client.Counters.ConnectFailures);

        // Each failure doubles the wait (±20 %), up to the cap.
        var waits = new List<TimeSpan> { TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 5; attempt++)
        {
            time.Advance(waits[^1] * 1.2);
            await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ConnectAsync().AsTask()).WithTimeout();
            waits.Add(TimeSpan.FromSeconds(Math.Min(8, Math.Pow(2, attempt + 1))));
            time.Advance(waits[^1] * 0.79);
            var early = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ConnectAsync().AsTask()).WithTimeout();
            Assert.Equal(ProtocolErrorReason.NotConnected, early.Reason);
        }

        Assert.Equal(6, client.Counters.ConnectFailures);
    }

    [Fact]
    public async Task ConnectTimesOutOnAnUnansweredSyn()
    {
        // A listener that never accepts: once its accept queue is full the kernel drops further SYNs and a connect
        // hangs, all on loopback. Clients that got in stay connected to keep the queue full.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
        var clients = new List<ModbusTcpClient>();
        try
        {
            ModbusProtocolException? error = null;
            for (var i = 0; i < 8 && error is null; i++)
            {
                var client = new ModbusTcpClient(new ModbusClientOptions
                {
                    Host = "127.0.0.1",
                    Port = port,
                    ConnectTimeout = TimeSpan.FromMilliseconds(200),
                });
                clients.Add(client);
                try
                {
                    await client.ConnectAsync().AsTask().WithTimeout();
                }
                catch (ModbusProtocolException e)
                {
                    error = e;
                }
            }

            Assert.NotNull(error);
            Assert.Equal(ProtocolErrorReason.ConnectionFailed, error.Reason);
            Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Real time, slowed to 80 % (timestamps only; timers stay real). Not a FakeTimeProvider: the case needs timers
    /// and clock to disagree, and a FakeTimeProvider's timers fire exactly when its clock says they are due.
    /// </summary>
    private sealed class SlowClock : TimeProvider
    {
        private readonly long _start = Stopwatch.GetTimestamp();

        public override long TimestampFrequency => Stopwatch.Frequency;

        public override long GetTimestamp() => _start + (long)((Stopwatch.GetTimestamp() - _start) * 0.8);
    }
}
