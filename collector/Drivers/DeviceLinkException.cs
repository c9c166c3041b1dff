namespace EdgePartition.Collector.Drivers;

/// <summary>
/// The connection to a device is unusable (refused, closed, timed out, garbage on the wire): the worker marks
/// every tag bad, records the reason and reconnects after a back-off. Errors about one request on a live
/// connection (an address the device refuses) are not link errors.
/// </summary>
internal sealed class DeviceLinkException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The segment quality the device's tags get while the link is down.</summary>
    public uint Quality { get; init; } = Ipc.IpcQuality.BadCommunicationError;

    /// <summary>
    /// Retrying cannot help (the configuration asks for something the driver does not support): the worker marks
    /// the device Faulted and stops reconnecting.
    /// </summary>
    public bool IsPermanent { get; init; }
}
