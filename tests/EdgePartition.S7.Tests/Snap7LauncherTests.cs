using EdgePartition.S7.Client;
using EdgePartition.Testing.Peers;

namespace EdgePartition.S7.Tests;

/// <summary>The reusable snap7 launcher: PLC logic in a JS snippet, memory reachable from the test.</summary>
public sealed class Snap7LauncherTests
{
    [Fact]
    public async Task ScriptRunsPlcLogicThatClientsSee()
    {
        await using var server = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions
        {
            Areas = [new("DB", 1, 16), new("MK", 0, 8)],
            Script = "setInterval(() => plc.update('DB', 1, b => { b[0] = (b[0] + 1) & 0xff; }), 10); log('heartbeat started');",
        });
        await using var client = new S7Client(new S7ClientOptions { Host = "127.0.0.1", Port = server.Port });
        var first = new byte[1];
        await client.ReadAsync(S7Area.DB, 1, 0, first, TestTimeouts.Token());

        // The heartbeat is PLC-side logic that signals nothing: poll until it moves.
        var now = new byte[1];
        await Eventually.PollAsync(
            async () =>
            {
                await client.ReadAsync(S7Area.DB, 1, 0, now, TestTimeouts.Token());
                return now[0];
            },
            heartbeat => heartbeat != first[0],
            "the PLC-side heartbeat in DB1.DBB0 moving");
        await server.WriteAsync("MK", 0, 2, new byte[] { 0x5A }, TestTimeouts.Token());
        Assert.Equal((byte)0x5A, await client.ReadValueAsync(S7Address.Parse("MB2"), S7DataType.Byte, cancellationToken: TestTimeouts.Token()));
        Assert.Equal("1", await server.EvalAsync("server.ClientsCount()", TestTimeouts.Token()));
        Assert.Equal(1, await server.ClientsCountAsync(TestTimeouts.Token()));
    }
}
