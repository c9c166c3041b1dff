using System.Net;
using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.S7;
using EdgePartition.S7.Server;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// The partition's S7 server endpoint: DB1 = sync's merged image, DB(1001+i) = device i's tags (PartitionAddressMap).
/// Each block is refreshed under LockArea from its segment's snapshots. Read-only by default: every write item gets
/// "access denied"; with ReadOnly=false, writes to writable tags go to the device's write queue.
/// </summary>
public sealed class S7EndpointService : ServerEndpointService, IS7WriteHandler
{
    private const string Name = "S7";

    private readonly Dictionary<int, byte[]> _areas = [];
    private S7Server? _server;

    public S7EndpointService(PartitionConfig config, ILogger<S7EndpointService> logger)
        : this(config, logger, portOverride: null)
    {
    }

    /// <summary>For tests: listen on <paramref name="portOverride"/> (0 = the OS picks) instead of the configured port.</summary>
    internal S7EndpointService(PartitionConfig config, ILogger logger, int? portOverride)
        : base(
            Name,
            config,
            config.Consumers.S7Server ?? throw new ArgumentException("the partition has no S7 server endpoint", nameof(config)),
            EndpointProtocol.S7,
            logger,
            portOverride)
    {
    }

    /// <summary>Copies the start of a served block, as clients see it (tests wait on values with it).</summary>
    internal void ReadBlock(int number, Span<byte> destination) =>
        (_server ?? throw new InvalidOperationException("the endpoint is not started")).ReadArea(S7Area.DB, number, 0, destination);

    private protected override IPEndPoint StartServer(IPAddress address, int port)
    {
        // HMIs poll; a connection silent for a minute is gone (and an idle one gives way to a new client before that).
        var server = new S7Server(new S7ServerOptions { WriteHandler = this, IdleTimeout = TimeSpan.FromSeconds(60) });
        _server = server;
        foreach (var block in Map.Blocks)
        {
            var memory = new byte[block.Length];
            _areas.Add(block.Number, memory);
            server.RegisterArea(S7Area.DB, block.Number, memory);
        }

        server.Start(address, port);
        return server.LocalEndPoint!;
    }

    private protected override Task StopServerAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    private protected override void Publish(MappedBlock block, ReadOnlySpan<byte> image)
    {
        var server = _server!;
        server.LockArea(S7Area.DB, block.Number);
        try
        {
            // The area's memory is ours: copying under the lock keeps client reads cycle-consistent.
            image.CopyTo(_areas[block.Number]);
        }
        finally
        {
            server.UnlockArea(S7Area.DB, block.Number);
        }
    }

    S7WriteDecision IS7WriteHandler.OnWrite(in S7WriteRequest request)
    {
        var block = request.Area == S7Area.DB ? Map.FindBlock(request.Number) : null;
        if (Endpoint.ReadOnly)
        {
            Router.Refuse(request.Client, block, request.ByteOffset, WriteRouting.ReadOnly, "the endpoint is read-only");
            return S7WriteDecision.Reject(S7ReturnCode.AccessDenied);
        }

        // A bit item can only set a BOOL tag (bit 0 of its byte).
        bool badBit = request.Bit > 0 || (request.Bit == 0 && block?.FindTag(request.ByteOffset)?.SegmentType != IpcDataType.Bool);
        var routing = badBit
            ? Router.Refuse(request.Client, block, request.ByteOffset, WriteRouting.NotWritable, "bit writes only at bit 0 of a BOOL")
            : Router.Route(request.Client, block, request.ByteOffset, request.Value);
        return routing switch
        {
            WriteRouting.Queued => S7WriteDecision.Accepted,
            WriteRouting.BadValue => S7WriteDecision.Reject(S7ReturnCode.DataTypeInconsistent),
            WriteRouting.QueueFull or WriteRouting.QueueUnavailable => S7WriteDecision.Reject(S7ReturnCode.HardwareFault),
            _ => S7WriteDecision.Reject(S7ReturnCode.AccessDenied),
        };
    }
}
