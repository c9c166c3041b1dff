using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Logging;

public static class LoggerDeviceExtensions
{
    /// <summary>Every line logged until the returned scope is disposed carries <paramref name="device"/>.</summary>
    public static IDisposable? BeginDeviceScope(this ILogger logger, string device) => logger.BeginScope(new DeviceScope(device));
}
