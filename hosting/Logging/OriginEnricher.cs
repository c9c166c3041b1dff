using Serilog.Core;
using Serilog.Events;

namespace EdgePartition.Hosting.Logging;

/// <summary>
/// Adds "Origin" = partition/process[/device] to every Serilog event, the device coming from a
/// <see cref="DeviceScope"/> or a {Device} message property, so file lines read like console lines.
/// </summary>
internal sealed class OriginEnricher(string origin) : ILogEventEnricher
{
    public const string PropertyName = "Origin";

    private readonly LogEventProperty _withoutDevice = new(PropertyName, new ScalarValue(origin));

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.TryGetValue(DeviceScope.PropertyName, out var device) && device is ScalarValue { Value: { } value })
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty(PropertyName, new ScalarValue($"{origin}/{value}")));
            return;
        }

        logEvent.AddPropertyIfAbsent(_withoutDevice);
    }
}
