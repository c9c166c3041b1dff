using EdgePartition.Cli.Commands;
using EdgePartition.Config;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Cli.Tests;

/// <summary>`edgepart opcua endpoints | read | browse | discover` against node-opcua (tests/peers/opcua/server.mjs).</summary>
public sealed class OpcUaCommandTests : IClassFixture<OpcUaServerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgepart-opcua-cli-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _errors = new();
    private readonly OpcUaServerFixture _fixture;

    public OpcUaCommandTests(OpcUaServerFixture fixture) => _fixture = fixture;

    private string Url => _fixture.Server.EndpointUrl;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _output.Dispose();
        _errors.Dispose();
    }

    [Fact]
    public async Task EndpointsListsTheNoneEndpointOnTheDialledHost()
    {
        var localhost = Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        Assert.Equal(0, await OpcUaEndpointsCommand.RunAsync(localhost, 10000, _output, _errors, CancellationToken.None).WithTimeout());
        Assert.Contains($"{localhost}  None/None", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("logins: Anonymous", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPrintsValuesAndFailsOnAnUnknownNode()
    {
        Assert.Equal(0, await OpcUaReadCommand.RunAsync(Url, ["ns=1;s=Double", "ns=1;s=Int32Array"], 10000, _output, _errors, CancellationToken.None).WithTimeout());
        Assert.Contains("ns=1;s=Double = 3.25  Double  Good", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("ns=1;s=Int32Array = [7, -8, 9] (3)  Int32  Good", _output.ToString(), StringComparison.Ordinal);

        Assert.Equal(65, await OpcUaReadCommand.RunAsync(Url, ["ns=1;s=Missing"], 10000, _output, _errors, CancellationToken.None).WithTimeout());
        Assert.Contains("ns=1;s=Missing: BadNodeIdUnknown", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(65, await OpcUaReadCommand.RunAsync(Url, ["ns=1;x=1"], 10000, _output, _errors, CancellationToken.None).WithTimeout());
        Assert.Contains("unknown identifier type", _errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServerIsOneLineAndExitCode69()
    {
        Assert.Equal(69, await OpcUaReadCommand.RunAsync("opc.tcp://127.0.0.1:1", ["i=2258"], 2000, _output, _errors, CancellationToken.None).WithTimeout());
        Assert.StartsWith("error: opc.tcp://127.0.0.1:1:", _errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowsePrintsTheTreeWithTypesAccessAndValues()
    {
        Assert.Equal(0, await OpcUaBrowseCommand.RunAsync(Url, "i=85", 2, 10000, _output, _errors, CancellationToken.None).WithTimeout());
        var lines = _output.ToString().Split('\n');
        Assert.Contains(lines, line => line.StartsWith("  Plant  Object", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("    Setpoint  Variable", StringComparison.Ordinal) && line.Contains("Double  RW", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("    Counter  Variable", StringComparison.Ordinal) && line.Contains("UInt32  R  =", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverWritesAnEndpointFileThatValidates()
    {
        var file = Path.Combine(_directory, "plant.xml");
        var request = new DiscoverRequest(Url, "ns=1;s=Plant", null, file, "plant", 500, 10, 10000);
        Assert.Equal(0, await OpcUaDiscoverCommand.RunAsync(request, _output, _errors, CancellationToken.None).WithTimeout());

        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("address=\"ns=1;s=Counter\" type=\"UInt32\" description=\"Counter\"", text, StringComparison.Ordinal);
        Assert.Contains("address=\"ns=1;s=Setpoint\" type=\"Double\" writable=\"true\"", text, StringComparison.Ordinal);
        Assert.Contains("address=\"ns=1;s=BigArray\" type=\"Double\" length=\"5000\"", text, StringComparison.Ordinal);
        using var checkOutput = new StringWriter();
        using var checkErrors = new StringWriter();
        Assert.True(ConfigFileCheck.Run([file], checkOutput, checkErrors) == 0, checkOutput + checkErrors.ToString());
    }

    [Fact]
    public async Task DiscoverKeepsOnlyWhatTheFilterMatches()
    {
        var file = Path.Combine(_directory, "ints.xml");
        var request = new DiscoverRequest(Url, "ns=1;s=Plant", "*Int*", file, "plant", 1000, 10, 10000);
        Assert.Equal(0, await OpcUaDiscoverCommand.RunAsync(request, _output, _errors, CancellationToken.None).WithTimeout());
        var text = await File.ReadAllTextAsync(file);
        Assert.Equal(5, text.Split("<tag ").Length - 1); // Int16, Int32, UInt32, Int32Array, WriteInt32
        Assert.DoesNotContain("s=Double\"", text, StringComparison.Ordinal);

        var nothing = new DiscoverRequest(Url, "ns=1;s=Plant", "NoSuch*", Path.Combine(_directory, "none.xml"), "plant", 1000, 10, 10000);
        Assert.Equal(65, await OpcUaDiscoverCommand.RunAsync(nothing, _output, _errors, CancellationToken.None).WithTimeout());
        Assert.False(File.Exists(nothing.OutputFile));
    }
}

/// <summary>One node-opcua server for the command tests (the commands only read).</summary>
public sealed class OpcUaServerFixture : IAsyncLifetime
{
    private NodeOpcuaServer? _server;

    public NodeOpcuaServer Server => _server ?? throw new InvalidOperationException("server not started");

    public async Task InitializeAsync() => _server = await NodeOpcuaServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
