using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Consumers.Tests.Endpoints;

/// <summary>Starts an endpoint service for a test and stops it, bounded, on dispose.</summary>
public sealed class EndpointRun(IHostedService service) : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<EndpointRun> StartAsync(IHostedService service)
    {
        await service.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        return new EndpointRun(service);
    }

    /// <summary>Waits until <paramref name="condition"/> holds: the services publish from their own threads, with no signal to await.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await service.StopAsync(timeout.Token);
        (service as IDisposable)?.Dispose();
    }
}
