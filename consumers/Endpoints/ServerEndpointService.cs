using System.Net;
using EdgePartition.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// What the S7 and Modbus server endpoints share: the partition's address map, the segment followers that publish
/// each block, the write router, and the lifecycle (start the server, signal <see cref="Started"/>, follow segments
/// until stopped, stop the server). A subclass owns only its protocol server and how a block lands in it.
/// </summary>
public abstract class ServerEndpointService : BackgroundService, IBlockPublisher
{
    private readonly string _name;
    private readonly PartitionConfig _config;
    private readonly int _port;
    private readonly ILogger _logger;
    private readonly SegmentFollowers _followers;
    private readonly TaskCompletionSource<IPEndPoint> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private protected ServerEndpointService(
        string name, PartitionConfig config, ServerEndpointConfig endpoint, EndpointProtocol protocol, ILogger logger, int? portOverride)
    {
        _name = name;
        _config = config;
        Endpoint = endpoint;
        _port = portOverride ?? endpoint.Port;
        _logger = logger;
        Map = PartitionAddressMap.Build(config, protocol);
        Router = new EndpointWriteRouter(name, config.SegmentDirectory, config.Name, Map, logger);
        _followers = new SegmentFollowers(name, config, Map, this, logger);
    }

    public PartitionAddressMap Map { get; }

    /// <summary>Completes with the bound endpoint once the server listens.</summary>
    public Task<IPEndPoint> Started => _started.Task;

    /// <summary>Snapshots published into the server so far, over all blocks.</summary>
    public int Published => _followers.Published;

    private protected ServerEndpointConfig Endpoint { get; }

    private protected EndpointWriteRouter Router { get; }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var endPoint = StartServer(IPAddress.Parse(Endpoint.BindAddress), _port);
            EndpointLog.Listening(_logger, _name, _config.Name, endPoint.ToString(), Endpoint.ReadOnly ? "read-only" : "writes to writable tags");
            _started.TrySetResult(endPoint);
            await _followers.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _started.TrySetException(e);
            throw;
        }
        finally
        {
            await StopServerAsync().ConfigureAwait(false);
            Router.Dispose();
        }
    }

    /// <summary>Creates the protocol server with one area per mapped block, starts it and returns where it listens.</summary>
    private protected abstract IPEndPoint StartServer(IPAddress address, int port);

    /// <summary>Stops the server <see cref="StartServer"/> created, if it created one.</summary>
    private protected abstract Task StopServerAsync();

    /// <inheritdoc cref="IBlockPublisher.Publish"/>
    private protected abstract void Publish(MappedBlock block, ReadOnlySpan<byte> image);

    void IBlockPublisher.Publish(MappedBlock block, ReadOnlySpan<byte> image) => Publish(block, image);
}
