using EdgePartition.Hosting.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Hosting;

public static class PartitionHostExtensions
{
    /// <summary>EX_SOFTWARE: the process stopped because a part of it failed (a cycle's work threw).</summary>
    public const int FailureExitCode = 70;

    /// <summary>
    /// Runs the host until it stops and returns the process exit code: <see cref="FailureExitCode"/> when a part
    /// reported itself broken (a failed cycle stops the host), 0 after a requested stop. The Generic Host itself
    /// returns normally in both cases, which would hide a crash from a supervisor.
    /// </summary>
    public static async Task<int> RunPartitionAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        // RunAsync disposes the host and its services: take what is needed afterwards first.
        var health = host.Services.GetService<ProcessHealth>();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        if (health is null)
        {
            return 0;
        }

        foreach (var reporter in health.Reporters)
        {
            if (reporter.Problem is not null)
            {
                return FailureExitCode;
            }
        }

        return 0;
    }
}
