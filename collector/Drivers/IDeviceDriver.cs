using EdgePartition.Ipc;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// One device's protocol side, driven by its <see cref="Workers.DeviceWorker"/> from one thread at a time:
/// connect, read a poll group into the segment's staging area, execute a write. A lost connection surfaces as
/// <see cref="DeviceLinkException"/>; the worker then marks the data bad and reconnects with back-off.
/// </summary>
internal interface IDeviceDriver : IAsyncDisposable
{
    /// <summary>What the status shows as the endpoint ("127.0.0.1:102", "sim").</summary>
    string Endpoint { get; }

    /// <summary>Bytes received from the device so far (all connections).</summary>
    long BytesIn { get; }

    /// <summary>Bytes sent to the device so far (all connections).</summary>
    long BytesOut { get; }

    /// <summary>Opens the connection (bounded by the device timeout); throws <see cref="DeviceLinkException"/> on failure.</summary>
    ValueTask ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Closes the connection for good (at shutdown); never throws.</summary>
    ValueTask DisconnectAsync();

    /// <summary>
    /// Drops the connection after a link error; never throws. A protocol with state that outlives a connection (an OPC
    /// UA session and its subscriptions) keeps it here for the next <see cref="ConnectAsync"/> to recover.
    /// </summary>
    ValueTask DropLinkAsync() => DisconnectAsync();

    /// <summary>
    /// Reads poll group <paramref name="group"/> (index in the device's poll groups) and stages every tag of it in
    /// <paramref name="writer"/> with its quality and source timestamp. A tag the device refused (missing DB,
    /// illegal address) gets a bad quality; the others of the group are still staged.
    /// </summary>
    /// <returns>The number of tags that could not be read (0: the whole group is good).</returns>
    ValueTask<int> ReadGroupAsync(int group, SegmentWriter writer, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a validated request (see <see cref="WriteCommand"/>) to the device. Returns the outcome; a lost
    /// connection throws <see cref="DeviceLinkException"/>.
    /// </summary>
    ValueTask<WriteOutcome> WriteAsync(WriteCommand command, CancellationToken cancellationToken);
}
