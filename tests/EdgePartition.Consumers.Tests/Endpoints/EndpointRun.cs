using Microsoft.Extensions.Hosting;

namespace EdgePartition.Consumers.Tests.Endpoints;

/// <summary>Starts an endpoint service for a test and stops it, bounded, on dispose.</summary>
public sealed class EndpointRun(IHostedService service) : IAsyncDisposable
{
    public static async Task<EndpointRun> StartAsync(IHostedService service)
    {
        await service.StartAsync(CancellationToken.None).WithTimeout();
        return new EndpointRun(service);
    }

    /// <summary>Waits until <paramref name="condition"/> holds: the services publish from their own threads, with no signal to await.</summary>
    public static Task UntilAsync(Func<bool> condition, string what) => Eventually.PollAsync(condition, what);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await service.StopAsync(timeout.Token);
        (service as IDisposable)?.Dispose();
    }
}
