using EdgePartition.Collector.Workers;
using EdgePartition.Config;
using EdgePartition.Hosting.Cycles;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Collector.Tests;

/// <summary>
/// One <see cref="DeviceWorker"/> run in-process on a real <see cref="CycleLoop"/>, as the collector service runs
/// it; dispose stops the loop and the worker (segment marked stopped).
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private WorkerHarness(DeviceWorker worker, CycleLoop loop)
    {
        Worker = worker;
        Loop = loop;
        _loop = loop.RunAsync(_stop.Token);
    }

    public DeviceWorker Worker { get; }

    public CycleLoop Loop { get; }

    /// <summary>Fast reconnects so restart tests stay short.</summary>
    public static DeviceWorkerOptions TestOptions { get; } = new()
    {
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
    };

    public static WorkerHarness Start(PartitionConfig partition, string device, DeviceWorkerOptions? options = null)
    {
        var worker = DeviceWorker.Create(partition, partition.GetDevice(device), driver: null, options ?? TestOptions, NullLogger.Instance);
        var loop = new CycleLoop(new CycleOptions { Name = device, Period = worker.Period }, worker, NullLogger.Instance, wakeSource: worker.WakeSource);
        worker.Attach(loop);
        return new WorkerHarness(worker, loop);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WithTimeout();
        await Worker.DisposeAsync();
        _stop.Dispose();
    }
}
