using EdgePartition.Modbus.Server;

namespace EdgePartition.Modbus.Tests;

/// <summary>Our server against pymodbus's client and Debian's mbpoll (libmodbus).</summary>
public sealed class ServerAgainstPeersTests : IAsyncLifetime
{
    private readonly ModbusTcpServer _server = new(new ModbusServerOptions { Port = 0 });

    public Task InitializeAsync()
    {
        _server.Start();
        for (ushort i = 0; i < 200; i++)
        {
            _server.Store.SetRegister(ModbusTable.HoldingRegisters, i, (ushort)(1000 + i));
            _server.Store.SetRegister(ModbusTable.InputRegisters, i, (ushort)(2 * i));
        }

        for (ushort i = 0; i < 100; i++)
        {
            _server.Store.SetBit(ModbusTable.Coils, i, i % 2 == 0);
            _server.Store.SetBit(ModbusTable.DiscreteInputs, i, i % 4 == 0);
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PymodbusClientReadsAndWrites()
    {
        var script = Path.Combine(RepoPaths.PeersDirectory, "modbus", "pymodbus_client_check.py");
        var (exitCode, output) = await PeerProcess.RunAsync("/usr/bin/python3", script, "--port", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);

        Assert.Equal(4242, _server.Store.GetRegister(ModbusTable.HoldingRegisters, 300));
        Assert.Equal(3, _server.Store.GetRegister(ModbusTable.HoldingRegisters, 312));
        Assert.Equal(9, _server.Store.GetRegister(ModbusTable.HoldingRegisters, 320));
        Assert.Equal(8, _server.Store.GetRegister(ModbusTable.HoldingRegisters, 321));
        Assert.True(_server.Store.GetBit(ModbusTable.Coils, 5));
        Assert.True(_server.Store.GetBit(ModbusTable.Coils, 60));
        Assert.False(_server.Store.GetBit(ModbusTable.Coils, 61));
        Assert.True(_server.Store.GetBit(ModbusTable.Coils, 62));
    }

    [Fact]
    public async Task MbpollReadsEveryTable()
    {
        var holding = await Mbpoll("-t 4 -r 10 -c 3");
        Assert.Contains("[10]: \t1010", holding, StringComparison.Ordinal);
        Assert.Contains("[12]: \t1012", holding, StringComparison.Ordinal);
        var input = await Mbpoll("-t 3 -r 7 -c 2");
        Assert.Contains("[7]: \t14", input, StringComparison.Ordinal);
        Assert.Contains("[8]: \t16", input, StringComparison.Ordinal);
        var coils = await Mbpoll("-t 0 -r 2 -c 2");
        Assert.Contains("[2]: \t1", coils, StringComparison.Ordinal);
        Assert.Contains("[3]: \t0", coils, StringComparison.Ordinal);
        var inputs = await Mbpoll("-t 1 -r 4 -c 2");
        Assert.Contains("[4]: \t1", inputs, StringComparison.Ordinal);
        Assert.Contains("[5]: \t0", inputs, StringComparison.Ordinal);
        var floats = await Mbpoll("-t 4:float -r 400 -c 1");
        Assert.Contains("[400]: \t0", floats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MbpollWrites()
    {
        await Mbpoll("-t 4 -r 500", "11", "22", "33");
        await Mbpoll("-t 0 -r 90", "1", "0", "1");
        await Mbpoll("-t 4:float -r 510", "123456");
        Assert.Equal(11, _server.Store.GetRegister(ModbusTable.HoldingRegisters, 500));
        Assert.Equal(33, _server.Store.GetRegister(ModbusTable.HoldingRegisters, 502));
        Assert.True(_server.Store.GetBit(ModbusTable.Coils, 90));
        Assert.False(_server.Store.GetBit(ModbusTable.Coils, 91));
        Assert.True(_server.Store.GetBit(ModbusTable.Coils, 92));
        var floatRegisters = new ushort[2];
        _server.Store.ReadRegisters(ModbusTable.HoldingRegisters, 510, floatRegisters);
        Assert.Equal(123456f, Data.ModbusRegisterCodec.ReadFloat32(floatRegisters, Data.ModbusByteOrder.CDAB));
    }

    [Fact]
    public async Task MbpollIsServedWhileRawClientsSendGarbage()
    {
        using var garbage = await RawModbusSocket.ConnectAsync(_server.Port);
        await garbage.SendAsync([0, 1, 0, 0, 0, 200, 1, 3, 0]); // half a frame, then silence
        using var oversized = await RawModbusSocket.ConnectAsync(_server.Port);
        await oversized.SendAsync([0, 1, 0, 0, 0x10, 0x00, 1, 3]);
        var holding = await Mbpoll("-t 4 -r 0 -c 2");
        Assert.Contains("[0]: \t1000", holding, StringComparison.Ordinal);
        Assert.True(await oversized.WaitForCloseAsync());
    }

    /// <summary>
    /// mbpoll with 0-based addresses (-0), one poll (-1), unit 1, our port; <paramref name="options"/> go before the
    /// host, values to write after it.
    /// </summary>
    private async Task<string> Mbpoll(string options, params string[] values)
    {
        string[] common = ["-m", "tcp", "-p", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", "1", "-0", "-1", "-o", "5"];
        var (exitCode, output) = await PeerProcess.RunAsync("mbpoll", [.. common, .. options.Split(' '), "127.0.0.1", .. values]);
        Assert.True(exitCode == 0, output);
        return output;
    }
}
