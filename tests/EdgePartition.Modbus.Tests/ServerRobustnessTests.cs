using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Server;

namespace EdgePartition.Modbus.Tests;

/// <summary>
/// Garbage, oversized lengths and half-sent frames from raw sockets: the offender is dropped (or answered with an
/// exception when the frame itself is sound) and a well-behaved client on the same server never notices.
/// </summary>
public sealed class ServerRobustnessTests : IAsyncLifetime
{
    private readonly ModbusTcpServer _server = new(new ModbusServerOptions { Port = 0, IdleTimeout = TimeSpan.FromSeconds(60) });
    private readonly List<ModbusProtocolException> _faults = [];
    private ModbusTcpClient _goodClient = null!;

    public Task InitializeAsync()
    {
        _server.ClientFault += (_, error) =>
        {
            lock (_faults)
            {
                _faults.Add(error);
            }
        };
        _server.Start();
        for (ushort i = 0; i < 100; i++)
        {
            _server.Store.SetRegister(ModbusTable.HoldingRegisters, i, (ushort)(i + 500));
        }

        _goodClient = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = _server.Port, RequestTimeout = TimeSpan.FromSeconds(5) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _goodClient.DisposeAsync();
        await _server.DisposeAsync();
    }

    public static TheoryData<string, byte[]> DroppedFrames => new()
    {
        { "protocol id 1", [0, 1, 0, 1, 0, 6, 1, 3, 0, 0, 0, 1] },
        { "length 0xFFFF", [0, 1, 0, 0, 0xFF, 0xFF, 1, 3, 0, 0, 0, 1] },
        { "length 255 (PDU 254)", [0, 1, 0, 0, 0, 255, 1, 3] },
        { "length 1 (no function code)", [0, 1, 0, 0, 0, 1, 1] },
        { "length 0", [0, 1, 0, 0, 0, 0] },
        { "HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray() },
        { "TLS hello", [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1] },
    };

    [Theory]
    [MemberData(nameof(DroppedFrames))]
    public async Task DropsClientSendingAnInvalidHeader(string name, byte[] bytes)
    {
        using var raw = await RawModbusSocket.ConnectAsync(_server.Port);
        await raw.SendAsync(bytes);
        Assert.True(await raw.WaitForCloseAsync(), name);
        await AssertGoodClientUnaffected();
        Assert.True(_server.Counters.MalformedFrames >= 1);
        Assert.Contains(_faults, f => f.Reason == ProtocolErrorReason.MalformedFrame);
    }

    [Fact]
    public async Task DropsClientThatClosesInTheMiddleOfAFrame()
    {
        using var raw = await RawModbusSocket.ConnectAsync(_server.Port);
        await raw.SendAsync(RawModbusSocket.Frame(1, 1, 3, 0, 0, 0, 10)[..9]);
        raw.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.True(await raw.WaitForCloseAsync());
        await AssertGoodClientUnaffected();
        Assert.Contains(_faults, f => f.Reason == ProtocolErrorReason.MalformedFrame);
    }

    [Fact]
    public async Task DropsClientThatStopsInTheMiddleOfAFrameAfterTheIdleTimeout()
    {
        await using var server = new ModbusTcpServer(new ModbusServerOptions { Port = 0, IdleTimeout = TimeSpan.FromMilliseconds(300) });
        var dropped = new TaskCompletionSource<ModbusProtocolException>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ClientFault += (_, error) => dropped.TrySetResult(error);
        server.Start();
        using var raw = await RawModbusSocket.ConnectAsync(server.Port);
        await raw.SendAsync(RawModbusSocket.Frame(1, 1, 3, 0, 0, 0, 10)[..10]);
        await AssertGoodClientUnaffected();
        Assert.True(await raw.WaitForCloseAsync());
        Assert.Equal(ProtocolErrorReason.Timeout, (await dropped.Task.WithTimeout()).Reason);
        Assert.Equal(1, server.Counters.IdleDisconnects);
    }

    [Fact]
    public async Task AnswersFrameSentOneByteAtATime()
    {
        using var raw = await RawModbusSocket.ConnectAsync(_server.Port);
        foreach (var b in RawModbusSocket.Frame(0x1234, 9, 3, 0, 5, 0, 2))
        {
            await raw.SendAsync([b]);
        }

        var reply = await raw.ReceiveFrameAsync().WithTimeout();
        Assert.NotNull(reply);
        Assert.Equal((ushort)0x1234, reply.Value.TransactionId);
        Assert.Equal(9, reply.Value.UnitId);
        Assert.Equal([3, 4, 0x01, 0xF9, 0x01, 0xFA], reply.Value.Pdu);
    }

    [Fact]
    public async Task AnswersPipelinedFramesInOrder()
    {
        using var raw = await RawModbusSocket.ConnectAsync(_server.Port);
        var burst = new List<byte>();
        for (ushort t = 0; t < 40; t++)
        {
            burst.AddRange(RawModbusSocket.Frame(t, 1, 3, 0, (byte)t, 0, 1));
        }

        await raw.SendAsync([.. burst]);
        for (ushort t = 0; t < 40; t++)
        {
            var reply = await raw.ReceiveFrameAsync().WithTimeout();
            Assert.Equal(t, reply!.Value.TransactionId);
            Assert.Equal(500 + t, (reply.Value.Pdu[2] << 8) | reply.Value.Pdu[3]);
        }
    }

    public static TheoryData<string, byte[], byte> ExceptionReplies => new()
    {
        { "unknown function 0x2B", [0x2B, 0x0E, 0x01, 0x00], 0x01 },
        { "function 0", [0x00], 0x01 },
        { "read quantity 0", [3, 0, 0, 0, 0], 0x03 },
        { "read quantity 126", [3, 0, 0, 0, 126], 0x03 },
        { "read bits 2001", [1, 0, 0, 0x07, 0xD1], 0x03 },
        { "read past 65535", [4, 0xFF, 0xFF, 0, 2], 0x02 },
        { "read request too short", [3, 0, 0], 0x03 },
        { "write single coil 0x1234", [5, 0, 0, 0x12, 0x34], 0x03 },
        { "write registers byte count mismatch", [0x10, 0, 0, 0, 2, 3, 0, 1, 0, 2], 0x03 },
        { "write registers data cut short", [0x10, 0, 0, 0, 2, 4, 0, 1], 0x03 },
        { "write coils quantity 1969", [0x0F, 0, 0, 0x07, 0xB1, 0xF7], 0x03 },
        { "read/write 122 written", [0x17, 0, 0, 0, 1, 0, 0, 0, 122, 244], 0x03 },
    };

    [Theory]
    [MemberData(nameof(ExceptionReplies))]
    public async Task AnswersBadRequestsInSoundFramesWithAnException(string name, byte[] pdu, byte expectedCode)
    {
        using var raw = await RawModbusSocket.ConnectAsync(_server.Port);
        await raw.SendAsync(RawModbusSocket.Frame(77, 1, pdu));
        var reply = await raw.ReceiveFrameAsync().WithTimeout();
        Assert.NotNull(reply);
        Assert.Equal([(byte)(pdu[0] | 0x80), expectedCode], reply.Value.Pdu);
        // The connection stays usable.
        await raw.SendAsync(RawModbusSocket.Frame(78, 1, 3, 0, 0, 0, 1));
        Assert.Equal((ushort)78, (await raw.ReceiveFrameAsync().WithTimeout())!.Value.TransactionId);
        Assert.True(name.Length > 0);
    }

    [Fact]
    public async Task SurvivesAStormOfRandomBytesFromManyClients()
    {
        var random = new Random(4711);
        var storm = new Task[8];
        for (var c = 0; c < storm.Length; c++)
        {
            var bytes = new byte[random.Next(1, 2000)];
            random.NextBytes(bytes);
            if (c % 2 == 0 && bytes.Length > 4)
            {
                bytes[2] = 0; // valid protocol id: the parser has to look further
                bytes[3] = 0;
            }

            storm[c] = Task.Run(async () =>
            {
                using var raw = await RawModbusSocket.ConnectAsync(_server.Port);
                await raw.SendAsync(bytes);
                raw.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                await raw.WaitForCloseAsync();
            });
            await AssertGoodClientUnaffected();
        }

        await Task.WhenAll(storm).WithTimeout();
        await AssertGoodClientUnaffected();
        Assert.Equal(1, _goodClient.Counters.Connects);
    }

    private async Task AssertGoodClientUnaffected()
    {
        var values = new ushort[100];
        await _goodClient.ReadHoldingRegistersAsync(0, values).WithTimeout();
        Assert.Equal(500, values[0]);
        Assert.Equal(599, values[99]);
    }
}
