using EdgePartition.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

public static class EndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers the S7 and Modbus TCP server endpoints the partition configures (<c>Consumers.S7Server</c>,
    /// <c>Consumers.ModbusServer</c>) as hosted services; none when neither is configured.
    /// </summary>
    public static IServiceCollection AddPartitionServerEndpoints(this IServiceCollection services, PartitionConfig config)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Consumers.S7Server is not null)
        {
            services.AddHostedService(provider => new S7EndpointService(config, provider.GetRequiredService<ILogger<S7EndpointService>>()));
        }

        if (config.Consumers.ModbusServer is not null)
        {
            services.AddHostedService(provider => new ModbusEndpointService(config, provider.GetRequiredService<ILogger<ModbusEndpointService>>()));
        }

        return services;
    }
}
