using EdgePartition.Config;
using EdgePartition.Northbound.Publishing;

namespace EdgePartition.Northbound.Tests.Support;

/// <summary>
/// One partition for a test: its segment directory, simulated devices, and the real publisher
/// (<see cref="EdgeNodePublisher"/>) running in the test process against a real broker.
/// </summary>
internal sealed class PublisherRig : IAsyncDisposable
{
    private CancellationTokenSource _stop = new();
    private EdgeNodePublisher? _publisher;
    private Task? _running;

    public PublisherRig(params string[] devices)
    {
        Partition = TestNames.Partition("nb");
        Directory = System.IO.Directory.CreateTempSubdirectory("edgepart-nb-").FullName;
        StateDirectory = Path.Combine(Directory, "state");
        Devices = [.. devices.Select(d => new SimDevice(Directory, Partition, d))];
    }

    public string Partition { get; }

    public string Directory { get; }

    public string StateDirectory { get; }

    public IReadOnlyList<SimDevice> Devices { get; }

    public ListLogger Logger { get; } = new();

    public NorthboundCounters Counters => _publisher!.Counters;

    public static NorthboundConfig Config(MosquittoBroker broker, string node, Func<NorthboundConfig, NorthboundConfig>? adjust = null) => new()
    {
        Brokers = [new MqttBrokerConfig { Host = "127.0.0.1", Port = broker.Port, UseTls = false }],
        GroupId = "Plant",
        EdgeNodeId = node,
        ClientId = $"edgepart-test-{node}",
        ReconnectMin = TimeSpan.FromMilliseconds(100),
        ReconnectMax = TimeSpan.FromMilliseconds(500),
        BirthPacing = TimeSpan.FromMilliseconds(1),
        Store = new StoreAndForwardConfig { ReplayPerSecond = 2000 },
    };

    public void Start(NorthboundConfig config)
    {
        if (_stop.IsCancellationRequested)
        {
            _stop.Dispose();
            _stop = new CancellationTokenSource();
        }

        _publisher = new EdgeNodePublisher(config, Partition, Directory, [.. Devices.Select(d => d.Name)], StateDirectory, Logger);
        _running = Task.Run(() => _publisher.RunAsync(_stop.Token));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.WithTimeout().ConfigureAwait(false);
            _running = null;
        }

        if (_publisher is not null)
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
            _publisher = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (Environment.GetEnvironmentVariable("EDGEPART_NORTHBOUND_TEST_LOG") is { Length: > 0 } log)
        {
            await File.AppendAllLinesAsync(log, [$"--- {Partition}", .. Logger.Lines]).ConfigureAwait(false);
        }

        foreach (var device in Devices)
        {
            device.Dispose();
        }

        _stop.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
