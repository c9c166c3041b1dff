using EdgePartition.Testing.Peers;

namespace EdgePartition.Modbus.Tests;

/// <summary>One pymodbus server shared by the read-only tests of a class (starting Python costs about a second).</summary>
public sealed class PymodbusFixture : IAsyncLifetime
{
    public PymodbusServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PymodbusServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
