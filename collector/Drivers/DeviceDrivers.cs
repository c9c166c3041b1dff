using EdgePartition.Collector.Layout;
using EdgePartition.Config;

namespace EdgePartition.Collector.Drivers;

/// <summary>The driver for a device's protocol.</summary>
internal static class DeviceDrivers
{
    public static IDeviceDriver Create(DeviceLayout layout) => layout.Device.Protocol switch
    {
        Protocol.S7 => new S7Driver(layout),
        Protocol.Modbus => new ModbusDriver(layout),
        Protocol.Sim => new SimDriver(layout),
        Protocol.OpcUa => new OpcUaDriver(layout),
        _ => throw new NotSupportedException(CollectorProtocols.MissingStackMessage(layout.Device.Protocol)),
    };
}
