using EdgePartition.Ipc;
using EdgePartition.Sync.WriteBack;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Sync;

/// <summary>Every log event of sync, with fixed ids (5xxx) so operators can filter and alert on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Sync of partition {Partition} started: {Devices} devices, image {ImageSize} bytes, {Receivers} receivers, {Pairs} request/ack pairs, segment {Path}")]
    public static partial void EngineStarted(ILogger logger, string partition, int devices, int imageSize, int receivers, int pairs, string path);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Sync stopped after {Cycles} cycles, server heartbeat {Heartbeat}")]
    public static partial void EngineStopped(ILogger logger, ulong cycles, ulong heartbeat);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Device {Device}: attached to {Path} ({Tags} tags)")]
    public static partial void DeviceAttached(ILogger logger, string device, string path, int tags);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Device {Device}: no segment at {Path} yet; is its collector running? Looking again every second")]
    public static partial void DeviceSegmentMissing(ILogger logger, string device, string path);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Device {Device}: segment not usable: {Reason}")]
    public static partial void DeviceSegmentUnreadable(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "Device {Device}: its segment has no tag {Tag}; check that collector and sync use the same partition file")]
    public static partial void DeviceTagMissing(ILogger logger, string device, string tag);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Information, Message = "Device {Device}: collector {Before} -> {After}")]
    public static partial void DeviceLivenessChanged(ILogger logger, string device, WriterLiveness before, WriterLiveness after);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Information, Message = "Device {Device}: connection {Before} -> {After}")]
    public static partial void DeviceStateChanged(ILogger logger, string device, ConnectionState before, ConnectionState after);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Device {Device} is alive")]
    public static partial void DeviceAlive(ILogger logger, string device);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "Device {Device} is stale ({Reason}; connection {State}, collector {Liveness}): its alive flag is cleared")]
    public static partial void DeviceStale(ILogger logger, string device, string reason, ConnectionState state, WriterLiveness liveness);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Warning, Message = "Image contribution {Device}.{Tag}: a {SegmentType} value of S7/Modbus type {ConfigType} cannot be reproduced as raw bytes; its image bytes stay unchanged")]
    public static partial void ContributionUnsupported(ILogger logger, string device, string tag, IpcDataType segmentType, string configType);

    [LoggerMessage(EventId = 5040, Level = LogLevel.Debug, Message = "Receiver {Device}: full refresh ({Reason}), {Bytes} bytes")]
    public static partial void FullRefresh(ILogger logger, string device, RefreshReason reason, int bytes);

    [LoggerMessage(EventId = 5044, Level = LogLevel.Information, Message = "Receiver {Device}: whole image written ({Reason}), {Bytes} bytes")]
    public static partial void FullRefreshAfter(ILogger logger, string device, RefreshReason reason, int bytes);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Warning, Message = "Receiver {Device}: write request refused ({Status}, {Streak} in a row): {Error}; retrying every cycle")]
    public static partial void EnqueueRefused(ILogger logger, string device, EnqueueStatus status, string error, long streak);

    [LoggerMessage(EventId = 5042, Level = LogLevel.Warning, Message = "Receiver {Device}: write of image bytes {Offset}+{Length} failed: {Error}; the whole image is written again")]
    public static partial void WriteFailed(ILogger logger, string device, int offset, int length, string error);

    [LoggerMessage(EventId = 5043, Level = LogLevel.Warning, Message = "Device {Device}: write queue not available ({Error}); is its collector running? Looking again every second")]
    public static partial void QueueUnavailable(ILogger logger, string device, string error);

    [LoggerMessage(EventId = 5050, Level = LogLevel.Debug, Message = "Request {Pair}: raised by {Requester} for {Executor}")]
    public static partial void RequestRaised(ILogger logger, string pair, string requester, string executor);

    [LoggerMessage(EventId = 5051, Level = LogLevel.Information, Message = "Request {Pair}: served in {Milliseconds} ms")]
    public static partial void RequestServed(ILogger logger, string pair, double milliseconds);

    [LoggerMessage(EventId = 5052, Level = LogLevel.Warning, Message = "Request {Pair}: not acknowledged within {TimeoutMs} ms; is {Executor} running its program?")]
    public static partial void RequestTimedOut(ILogger logger, string pair, string executor, double timeoutMs);

    [LoggerMessage(EventId = 5053, Level = LogLevel.Information, Message = "Request {Pair}: withdrawn, {Requester}.{Tag} cleared after the timeout")]
    public static partial void RequestWithdrawn(ILogger logger, string pair, string requester, string tag);

    [LoggerMessage(EventId = 5054, Level = LogLevel.Warning, Message = "Request {Pair}: withdrawal write to {Requester}.{Tag} not done ({Error}, {Attempts} attempts); retrying")]
    public static partial void RequestWithdrawalRetry(ILogger logger, string pair, string requester, string tag, string error, long attempts);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Critical, Message = "Another sync already runs for partition {Partition}: {Reason}; this one exits")]
    public static partial void AlreadyRunning(ILogger logger, string partition, string reason);

    [LoggerMessage(EventId = 5060, Level = LogLevel.Warning, Message = "futex_waitv is not available (Linux 5.16 or later is needed): sync wakes on the first device's commits and on its cycle timer only")]
    public static partial void FutexWaitvUnavailable(ILogger logger);
}
