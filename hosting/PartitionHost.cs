using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Health;
using EdgePartition.Hosting.Logging;
using EdgePartition.Hosting.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Hosting;

/// <summary>
/// Builds the Generic Host of a partition process (collector, sync, consumers) with what every one of them shares:
/// partition logging, the sd_notify client, readiness, health, status, cycle loops and the systemd lifetime
/// (READY/STATUS/STOPPING/WATCHDOG). ASP.NET Core processes call <see cref="AddPartitionHosting{TBuilder}"/> on
/// their WebApplicationBuilder instead.
/// </summary>
public static class PartitionHost
{
    /// <summary>A host builder for a partition process; add its services, then Build() and RunAsync().</summary>
    public static HostApplicationBuilder CreateBuilder(PartitionHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No command line or appsettings: the partition XML is the configuration, parsed by the caller.
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        return builder.AddPartitionHosting(options);
    }

    /// <summary>Wires partition logging and the systemd lifetime into any host builder.</summary>
    public static TBuilder AddPartitionHosting<TBuilder>(this TBuilder builder, PartitionHostOptions options)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        builder.Logging.AddPartitionLogging(options.Identity, options.Logging);

        var services = builder.Services;
        services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = options.ShutdownTimeout;
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        services.Configure<ConsoleLifetimeOptions>(console => console.SuppressStatusMessages = true);
        services.TryAddSingleton(options);
        services.TryAddSingleton(options.Identity);
        services.TryAddSingleton(options.TimeProvider);
        services.TryAddSingleton(_ => SystemdNotifier.FromEnvironment());
        services.TryAddSingleton<ProcessReadiness>();
        services.TryAddSingleton<ProcessHealth>();
        services.TryAddSingleton<ProcessStatus>();
        services.TryAddSingleton<CycleLoops>();
        services.AddHostedService<SystemdLifetimeService>();
        return builder;
    }
}
