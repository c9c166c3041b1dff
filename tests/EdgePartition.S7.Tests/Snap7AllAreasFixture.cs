using EdgePartition.Testing.Peers;

namespace EdgePartition.S7.Tests;

/// <summary>One snap7 server with every area, shared by tests that each use their own addresses.</summary>
public sealed class Snap7AllAreasFixture : IAsyncLifetime
{
    public static readonly Snap7ServerOptions Options = new()
    {
        Areas =
        [
            new("DB", 1, 8192, FillWithIndex: true),
            new("DB", 2, 512),
            new("MK", 0, 256),
            new("PE", 0, 64, FillWithIndex: true),
            new("PA", 0, 64),
            new("CT", 0, 64),
            new("TM", 0, 64),
        ],
    };

    public Snap7ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await Snap7ServerProcess.StartAsync(Options);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
