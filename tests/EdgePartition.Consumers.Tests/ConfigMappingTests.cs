using System.Net;
using EdgePartition.Config;
using EdgePartition.Consumers.Partition;

namespace EdgePartition.Consumers.Tests;

public sealed class ConfigMappingTests
{
    [Fact]
    public void DemoPartitionFileGivesEveryDeviceTheSyncAndTheHttpEndpoint()
    {
        var config = PartitionConfigLoader.Load(RepoPaths.Combine("config", "xml", "demo", "demo.xml"));

        var plan = PartitionPlan.FromConfig(config);
        Assert.Equal("demo", plan.Name);
        Assert.Equal(["plc1", "plc2", "plc3", "sync"], plan.Sources.Select(s => s.Name));
        Assert.Equal(SourceKind.Sync, plan.Sources[^1].Kind);
        Assert.All(plan.Sources.Take(3), s => Assert.Equal("s7", s.Protocol));

        var options = ConsumersOptionsFromConfig.Create(config);
        Assert.Equal(IPAddress.Loopback, options.BindAddress);
        Assert.Equal(8480, options.Port);
        Assert.Null(options.BearerToken);
        Assert.Null(options.TlsCertificatePath);
    }
}
