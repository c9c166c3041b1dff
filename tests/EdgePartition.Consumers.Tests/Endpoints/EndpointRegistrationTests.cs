using EdgePartition.Consumers.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgePartition.Consumers.Tests.Endpoints;

public sealed class EndpointRegistrationTests
{
    [Fact]
    public void RegistersOneHostedServicePerConfiguredEndpoint()
    {
        using var partition = new EndpointPartition(readOnly: true);
        var services = new ServiceCollection().AddLogging().AddPartitionServerEndpoints(partition.Config);
        using var provider = services.BuildServiceProvider();

        var hosted = provider.GetServices<IHostedService>().ToArray();
        Assert.Equal(2, hosted.Length);
        Assert.Contains(hosted, s => s is S7EndpointService);
        Assert.Contains(hosted, s => s is ModbusEndpointService);
    }
}
